package regfile

// nonblock is nothing on Windows, whose named pipes are not files of a
// folder.
const nonblock = 0
