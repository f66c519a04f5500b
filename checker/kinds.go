package checker

// kinds lists every kind of check, once, in the order the documentation
// shows them. A new kind is a file with its spec type and a line here.
var kinds = []Kind{
	kind[ContainerExists]("container_exists"),
	kind[ContainerRunning]("container_running"),
	kind[PortPublished]("port_published"),
	kind[HTTPGet]("http_get"),
	kind[Exec]("exec"),
	kind[NetworkExists]("network_exists"),
	kind[ContainerOnNetwork]("container_on_network"),
	kind[NameResolves]("name_resolves"),
	kind[VolumeExists]("volume_exists"),
	kind[VolumeFile]("volume_file"),
	kind[Mount]("mount"),
	kind[ImageExists]("image_exists"),
	kind[ImageConfig]("image_config"),
	kind[SameImage]("same_image"),
	kind[ImageLayers]("image_layers"),
	kind[ImageSize]("image_size"),
	kind[ContainerState]("container_state"),
	kind[ContainerLogs]("container_logs"),
	kind[EnvSet]("env_set"),
	kind[CapAdded]("cap_added"),
	kind[RestartPolicy]("restart_policy"),
	kind[User]("user"),
	kind[DeviceMapped]("device_mapped"),
	kind[ImageRun]("image_run"),
	kind[Dockerfile]("dockerfile"),
	kind[ComposeServices]("compose_services"),
	kind[Script]("script"),
}
