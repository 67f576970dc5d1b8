import Foundation

/// A child process: its pid and, when asked for, pipes to its standard input and output.
struct Running {
    var pid: pid_t
    var stdin: Int32
    var stdout: Int32

    /// Writes `input` (then closes stdin), reads stdout to the end, and reaps the child.
    func finish(input: String?) -> (status: Int32, output: String) {
        if stdin >= 0 {
            let bytes = Array((input ?? "").utf8)
            var offset = 0
            while offset < bytes.count {
                let n = bytes[offset...].withUnsafeBufferPointer { write(stdin, $0.baseAddress, $0.count) }
                if n <= 0 { break }
                offset += n
            }
            close(stdin)
        }
        var output = Data()
        if stdout >= 0 {
            var buffer = [UInt8](repeating: 0, count: 65_536)
            while true {
                let n = read(stdout, &buffer, buffer.count)
                if n <= 0 { break }
                output.append(contentsOf: buffer[0..<n])
            }
            close(stdout)
        }
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        return ((status >> 8) & 0xff, String(decoding: output, as: UTF8.self))
    }
}

enum Stream { case pipe, null }

/// Starts a program with posix_spawn and an empty signal mask. Not Foundation's `Process`: it
/// does not always reap children waited on from a test's concurrent context, and the test
/// thread's blocked signals would otherwise be inherited by the program (and by tmux's panes).
func spawn(_ argv: [String], environment: [String: String]?, stdout: Stream, stdin: Stream) throws -> Running {
    var inPipe: [Int32] = [-1, -1], outPipe: [Int32] = [-1, -1]
    if stdin == .pipe { guard pipe(&inPipe) == 0 else { throw TmuxDriver.SpawnError() } }
    if stdout == .pipe { guard pipe(&outPipe) == 0 else { throw TmuxDriver.SpawnError() } }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    if stdin == .pipe { posix_spawn_file_actions_adddup2(&actions, inPipe[0], 0) }
    else { posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0) }
    if stdout == .pipe {
        posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, outPipe[1], 2)
    } else {
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
    }
    for fd in inPipe + outPipe where fd >= 0 { posix_spawn_file_actions_addclose(&actions, fd) }
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    var empty = sigset_t(), defaults = sigset_t()
    sigemptyset(&empty)
    sigemptyset(&defaults)
    for sig in [SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGWINCH, SIGPIPE, SIGCHLD] { sigaddset(&defaults, sig) }
    posix_spawnattr_setsigmask(&attributes, &empty)
    posix_spawnattr_setsigdefault(&attributes, &defaults)
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
    var cargs = argv.map { strdup($0) } + [nil]
    defer { for a in cargs { free(a) } }
    var pid: pid_t = 0
    let result: Int32
    if let environment {
        var env = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for e in env { free(e) } }
        result = posix_spawn(&pid, argv[0], &actions, &attributes, &cargs, &env)
    } else {
        result = posix_spawn(&pid, argv[0], &actions, &attributes, &cargs, environ)
    }
    guard result == 0 else { throw TmuxDriver.SpawnError() }
    if inPipe[0] >= 0 { close(inPipe[0]) }
    if outPipe[1] >= 0 { close(outPipe[1]) }
    return Running(pid: pid, stdin: inPipe[1], stdout: outPipe[0])
}

/// The built binary, fed `input` through a pipe.
func runBinary(_ args: [String], environment: [String: String], input: String) throws -> (status: Int32, output: String) {
    try startBinary(args, environment: environment).finish(input: input)
}

func startBinary(_ args: [String], environment: [String: String]) throws -> Running {
    try spawn([TmuxDriver.binary] + args, environment: environment, stdout: .pipe, stdin: .pipe)
}

/// Any program's standard output (a small helper for looking things up, such as pgrep).
func runProgram(_ argv: [String]) throws -> String {
    try spawn(argv, environment: nil, stdout: .pipe, stdin: .pipe).finish(input: "").output
}
