package sandbox

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/docker/docker/api/types/events"
	"github.com/docker/docker/api/types/filters"
)

// EventTypes are the kinds of object whose events Events streams.
var EventTypes = []string{"container", "network", "volume", "image"}

// EventFilter chooses which engine events to stream. Both fields use the
// engine's own words, as `docker events --filter` does, and only filters
// that engines from API 1.41 understand are sent.
type EventFilter struct {
	// Types are among EventTypes; empty means all of them.
	Types []string
	// Actions are event names such as start, die, destroy, connect, create,
	// tag; empty means every action of the chosen types.
	Actions []string
}

// Event is one change on the engine.
type Event struct {
	Type   string // container, network, volume or image
	Action string // start, die, connect, tag, ...; "exec_start: sh" is reported as exec_start
	// ID is the object's id: a container or network id, a volume's name, an
	// image's id or reference.
	ID string
	// Name is the object's name when the engine gives one: a container's or
	// network's name, an image reference.
	Name string
	// Attributes are the engine's details: for containers their labels and
	// image, for network connect and disconnect the container's id
	// ("container").
	Attributes map[string]string
	Time       time.Time // when the engine says it happened
}

// Events streams the engine's events that match f until ctx ends or the
// stream breaks. When Events returns, the engine has accepted the
// subscription, so nothing that happens afterwards is missed. The error
// channel receives one value and is closed: ctx.Err() when ctx ended, an
// error wrapping ErrUnreachable when the engine went away.
func (e *Engine) Events(ctx context.Context, f EventFilter) (<-chan Event, <-chan error) {
	out := make(chan Event)
	errs := make(chan error, 1)
	args, err := eventFilters(f)
	if err != nil {
		errs <- err
		close(errs)
		close(out)
		return out, errs
	}
	msgs, sdkErrs := e.cli.Events(ctx, events.ListOptions{Filters: args})
	go func() {
		defer close(errs)
		defer close(out)
		for {
			select {
			case m := <-msgs:
				select {
				case out <- toEvent(m):
				case <-ctx.Done():
					errs <- ctx.Err()
					return
				}
			case err := <-sdkErrs:
				switch {
				case ctx.Err() != nil:
					errs <- ctx.Err()
				case err == nil, errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
					errs <- fmt.Errorf("watch engine events: %w at %s: the engine closed the stream", ErrUnreachable, e.ep.Host)
				default:
					errs <- e.wrap("watch engine events", err)
				}
				return
			}
		}
	}()
	return out, errs
}

// eventFilters turns f into the engine's filter arguments: "type" and
// "event", both known to every engine from API 1.41 up.
func eventFilters(f EventFilter) (filters.Args, error) {
	types := f.Types
	if len(types) == 0 {
		types = EventTypes
	}
	args := filters.NewArgs()
	for _, t := range types {
		if !slices.Contains(EventTypes, t) {
			return args, fmt.Errorf("watch engine events: unknown event type %q; use one of %s", t, strings.Join(EventTypes, ", "))
		}
		args.Add("type", t)
	}
	for _, a := range f.Actions {
		args.Add("event", a)
	}
	return args, nil
}

func toEvent(m events.Message) Event {
	ev := Event{
		Type:       string(m.Type),
		Action:     string(m.Action),
		ID:         m.Actor.ID,
		Attributes: m.Actor.Attributes,
		Time:       time.Unix(0, m.TimeNano),
	}
	// exec_create, exec_start and health_status carry details after ": ".
	if a, _, ok := strings.Cut(ev.Action, ": "); ok {
		ev.Action = a
	}
	if ev.Attributes == nil {
		ev.Attributes = map[string]string{}
	}
	ev.Name = ev.Attributes["name"]
	if ev.Type == "image" && ev.Name == "" {
		ev.Name = ev.ID
	}
	if m.TimeNano == 0 && m.Time != 0 {
		ev.Time = time.Unix(m.Time, 0)
	}
	return ev
}
