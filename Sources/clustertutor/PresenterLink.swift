import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The presenting instance and `clustertutor notes` talk over a Unix socket in the user's
/// runtime directory: the presenter listens and sends one JSON line per change (step, notes,
/// next title, elapsed time); every `notes` that connects gets the latest at once.
enum PresenterLink {
    /// `$XDG_RUNTIME_DIR/clustertutor/present.sock`, or a private directory under /tmp.
    static var socketPath: String {
        let env = ProcessInfo.processInfo.environment
        if let p = env["CLUSTERTUTOR_PRESENT_SOCKET"], !p.isEmpty { return p }
        let base = env["XDG_RUNTIME_DIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp/clustertutor-\(getuid())"
        return base + (env["XDG_RUNTIME_DIR"] == nil ? "" : "/clustertutor") + "/present.sock"
    }

    struct State: Codable, Equatable {
        var lesson: String
        var step: Int
        var steps: Int
        var title: String
        var notes: [String]
        var next: String?
        var question: Bool
        /// A question the next click asks (its step's narration is showing first).
        var pending: Bool? = nil
        var revealed: Bool
        var blanked: Bool
        /// Seconds since the presentation began.
        var elapsed: Int
    }

    static func address(_ path: String) -> sockaddr_un? {
        var a = sockaddr_un()
        a.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: a.sun_path) else { return nil }
        withUnsafeMutableBytes(of: &a.sun_path) { raw in
            for (i, b) in bytes.enumerated() { raw[i] = b }
            raw[bytes.count] = 0
        }
        return a
    }
}

/// The presenter's end: non-blocking, so the interactive loop never waits on a listener.
final class PresenterServer {
    private var listener: Int32 = -1
    private var clients: [Int32] = []
    private var last: PresenterLink.State?
    let path: String
    /// Why there is no socket (another presentation holds it, the path is too long), or nil.
    private(set) var problem: String?

    init(path: String = PresenterLink.socketPath) {
        self.path = path
        let dir = (path as NSString).deletingLastPathComponent
        mkdir(dir, 0o700)
        guard var addr = PresenterLink.address(path) else { problem = "the socket path is too long: \(path)"; return }
        // A socket left by a presentation that died: reuse the name if nobody answers on it.
        let probe = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        let answered = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(probe, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) } } == 0
        Glibc.close(probe)
        if answered { problem = "another presentation is running (its notes are at \(path))"; return }
        unlink(path)
        listener = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard listener >= 0 else { problem = String(cString: strerror(errno)); return }
        let bound = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) } }
        guard bound == 0, listen(listener, 8) == 0 else { problem = String(cString: strerror(errno)); Glibc.close(listener); listener = -1; return }
        _ = fcntl(listener, F_SETFL, fcntl(listener, F_GETFL) | O_NONBLOCK)
    }

    /// Takes new listeners and sends `state` to everyone when it changed (and to newcomers).
    func publish(_ state: PresenterLink.State) {
        guard listener >= 0 else { return }
        var newcomers: [Int32] = []
        while clients.count + newcomers.count < 16 {
            let c = accept(listener, nil, nil)
            guard c >= 0 else { break }
            newcomers.append(c)
        }
        let line = ((try? JSONEncoder().encode(state)).flatMap { String(data: $0, encoding: .utf8) } ?? "{}") + "\n"
        let targets = state == last ? newcomers : clients + newcomers
        clients += newcomers
        last = state
        for c in targets where !send(line, to: c) { Glibc.close(c); clients.removeAll { $0 == c } }
    }

    private func send(_ line: String, to fd: Int32) -> Bool {
        let bytes = Array(line.utf8)
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL | MSG_DONTWAIT)) }
            if n <= 0 { return false }
            sent += n
        }
        return true
    }

    func close() {
        for c in clients { Glibc.close(c) }
        clients = []
        if listener >= 0 { Glibc.close(listener); listener = -1; unlink(path) }
    }
}
