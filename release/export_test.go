package release

// Unexported parts the external tests use.
var (
	WriteArchive   = writeArchive
	ArchivePattern = archiveRE.String()
)

type ArchiveFile = archiveFile
