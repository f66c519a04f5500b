// Package classroom owns the instructor's dashboard and a learner's link to
// it: the events a learner's dockdojo reports (exercise started, check
// failed, passed, hint used, solution seen, quiz answered right or wrong),
// the HTTP server that receives them, stores them in SQLite and shows them
// on an embedded web page, and the client side that joins a classroom,
// queues events on disk and sends them.
//
// It imports neither the sandbox nor the Docker SDK: it knows exercises and
// quizzes only by their "lesson/exercise" and "lesson/quiz" keys, and
// checks only by their kind and description.
//
// The protocol, all JSON over HTTP:
//
//	POST /api/v1/join    {"code": "KXRMTP", "name": "Ada", "token": "",
//	                      "readiness": Readiness}
//	                     -> {"token": "…", "name": "Ada", "lessons": LessonsInfo,
//	                         "kinds": ["readiness", "started", …, "answered"]}
//	POST /api/v1/events  Authorization: Bearer TOKEN
//	                     {"events": [Event, …], "sent_at": "…"}
//	                     -> {"accepted": 2, "duplicates": 0, "rejected": []}
//	GET  /api/v1/lessons          Authorization: Bearer TOKEN -> LessonsInfo
//	GET  /api/v1/lessons/archive  Authorization: Bearer TOKEN -> tar.gz
//
// An error is {"error": "what went wrong, in the learner's words"}. A 429
// of a join also says how many seconds to wait in Retry-After, and what the
// classroom slows down from the learner's address in "reason": "wrong_codes"
// (every join from it waits, the right code too) or "joins" (new learners).
//
// The join code lets a learner join; the token issued at join authorises
// that learner's requests and nothing else. Readiness (the laptop's doctor
// summary) and lessons are optional. Events are accepted only for the
// exercises and quizzes of the classroom's course. kinds lists the kinds
// of event the classroom takes: an older one, which lists none, refuses an
// answered event as a kind it does not know, so a learner's dockdojo sends
// answers only to a classroom that listed them. sent_at, the learner's
// clock as they post, puts the events' times on the server's clock (an
// older dockdojo sends none). The dashboard lives under /dashboard/KEY/
// with a separate instructor key, and by default answers only requests
// from the instructor's own machine.
//
// A classroom may also hand out dockdojo and the course's images (see
// Downloads), to anyone on the network, with no code or token:
//
//	GET /                 a page: the install one-liners, each archive and its
//	                      SHA-256, the image bundles, how to join
//	GET /install.sh       the release's install scripts, pointed at
//	GET /install.ps1      /download/ of this server
//	GET /download/NAME    SHA256SUMS, the archives, the scripts, the bundles
//
// Nothing the server offers sends anything to a learner's machine unasked:
// it only answers the learner's own requests, with counts and, when asked,
// the instructor's lessons and dockdojo itself.
package classroom
