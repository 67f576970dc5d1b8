import Foundation

/// Runs the binary with `input` on its standard input (a pipe) and returns its status and output.
/// posix_spawn directly, with an empty signal mask, for the same reasons as `TmuxDriver.run`.
func runBinary(_ args: [String], environment: [String: String], input: String) throws -> (status: Int32, output: String) {
    let p = try startBinary(args, environment: environment)
    return p.finish(input: input)
}

struct Running {
    var pid: pid_t
    var stdin: Int32
    var stdout: Int32

    func finish(input: String) -> (status: Int32, output: String) {
        let bytes = Array(input.utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBufferPointer { write(stdin, $0.baseAddress, $0.count) }
            if n <= 0 { break }
            offset += n
        }
        close(stdin)
        var output = Data()
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = read(stdout, &buffer, buffer.count)
            if n <= 0 { break }
            output.append(contentsOf: buffer[0..<n])
        }
        close(stdout)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        return ((status >> 8) & 0xff, String(decoding: output, as: UTF8.self))
    }
}

func startBinary(_ args: [String], environment: [String: String]) throws -> Running {
    var inPipe: [Int32] = [-1, -1], outPipe: [Int32] = [-1, -1]
    guard pipe(&inPipe) == 0, pipe(&outPipe) == 0 else { throw TmuxDriver.SpawnError() }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_adddup2(&actions, inPipe[0], 0)
    posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
    posix_spawn_file_actions_adddup2(&actions, outPipe[1], 2)
    for fd in inPipe + outPipe { posix_spawn_file_actions_addclose(&actions, fd) }
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    var empty = sigset_t()
    sigemptyset(&empty)
    posix_spawnattr_setsigmask(&attributes, &empty)
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK))
    let argv = [TmuxDriver.binary] + args
    var cargs = argv.map { strdup($0) } + [nil]
    defer { for a in cargs { free(a) } }
    var env = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer { for e in env { free(e) } }
    var pid: pid_t = 0
    guard posix_spawn(&pid, argv[0], &actions, &attributes, &cargs, &env) == 0 else { throw TmuxDriver.SpawnError() }
    close(inPipe[0]); close(outPipe[1])
    return Running(pid: pid, stdin: inPipe[1], stdout: outPipe[0])
}
