import Foundation
import Testing

/// Drives the real binary inside tmux, on a private socket, and reads the screen as a person
/// would see it. Every wait is bounded, so a broken build fails instead of hanging.
final class TmuxDriver {
    let socket: String
    let session = "e2e"

    init(width: Int, height: Int, environment: [String: String] = [:]) throws {
        socket = "clustertutor-e2e-\(getpid())-\(UUID().uuidString.prefix(8))"
        var env = ["TERM": "screen-256color", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "PS1": "$ ", "HOME": NSTemporaryDirectory()]
        env.merge(environment) { $1 }
        let assignments = env.sorted { $0.key < $1.key }.map { "\($0.key)='\($0.value)'" }.joined(separator: " ")
        // The server this starts lives on in the background: it must not inherit a pipe we read to the end.
        try run(["new-session", "-d", "-s", session, "-x", "\(width)", "-y", "\(height)",
                 "env -i PATH=/usr/bin:/bin \(assignments) bash --norc --noprofile"], capture: false)
    }

    deinit { _ = try? run(["kill-server"], capture: false) }

    static var binary: String {
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("clustertutor").path
        if FileManager.default.isExecutableFile(atPath: beside) { return beside }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return root.appendingPathComponent(".build/debug/clustertutor").path
    }

    static var tmuxAvailable: Bool { FileManager.default.isExecutableFile(atPath: "/usr/bin/tmux") }

    /// Runs tmux and waits for it (see `spawn` for why not Foundation's `Process`).
    @discardableResult
    func run(_ args: [String], capture: Bool = true) throws -> String {
        let p = try spawn(["/usr/bin/tmux", "-u", "-L", socket, "-f", "/dev/null"] + args, environment: nil,
                          stdout: capture ? .pipe : .null, stdin: .null)
        return p.finish(input: nil).output
    }

    struct SpawnError: Error {}

    /// Types `clustertutor ARGS` (plus any shell suffix) at the prompt and presses Enter.
    func launch(_ arguments: String) throws {
        try type("\(Self.binary) \(arguments)")
        try press("Enter")
    }

    /// The shell runs commands again: it echoes what is typed and evaluates `$((…))`.
    func expectShellUsable(_ tag: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        try type("echo \(tag)-$((40+2))")
        try press("Enter")
        try waitFor("\(tag)-42", sourceLocation: sourceLocation)
    }

    /// The terminal is back in canonical mode with echo on.
    func expectTerminalRestored(sourceLocation: SourceLocation = #_sourceLocation) throws {
        try type("stty -a | tr ' ' '\\n' | grep -x -e icanon -e echo | tr '\\n' ,")
        try press("Enter")
        try waitFor("icanon,echo,", sourceLocation: sourceLocation)
    }

    /// Presses n `steps` times (the last step entered opens `question`), answers with `key`,
    /// waits for the explanation when one is given, and presses Enter to go on.
    func answer(_ question: String, with key: String, afterPressingNext steps: Int, explanation: String? = nil,
                sourceLocation: SourceLocation = #_sourceLocation) throws {
        for _ in 0..<steps { try press("n") }
        try waitFor(question, sourceLocation: sourceLocation)
        try press(key)
        if let explanation { try waitFor(explanation, sourceLocation: sourceLocation) }
        try press("Enter")
    }

    func type(_ text: String) throws { try run(["send-keys", "-t", session, "-l", text]) }
    func press(_ keys: String...) throws { try run(["send-keys", "-t", session] + keys) }
    func screen() throws -> String { try run(["capture-pane", "-p", "-t", session]) }
    /// The screen with its escape sequences (colours, attributes) as tmux would redraw it.
    func styledScreen() throws -> String { try run(["capture-pane", "-p", "-e", "-t", session]) }

    /// Whether any foreground or background colour is set anywhere on the screen.
    static func hasColour(_ styled: String) -> Bool {
        styled.contains(where: { $0 == "\u{1B}" }) &&
            styled.components(separatedBy: "\u{1B}[").dropFirst().contains { seq in
                let params = seq.prefix { $0 != "m" }.split(separator: ";")
                return params.contains { p in
                    guard let v = Int(p) else { return false }
                    return (30...37).contains(v) || (40...47).contains(v) || v == 38 || v == 48 || (90...97).contains(v)
                }
            }
    }

    /// The screen and up to `lines` of scrollback above it.
    func scrollback(_ lines: Int = 500) throws -> String { try run(["capture-pane", "-p", "-J", "-S", "-\(lines)", "-t", session]) }
    func resize(width: Int, height: Int) throws { try run(["resize-window", "-t", session, "-x", "\(width)", "-y", "\(height)"]) }

    /// Waits until the screen satisfies `ok`; returns the screen, or records a failure showing it.
    @discardableResult
    func waitFor(_ what: String, timeout: TimeInterval = 20, sourceLocation: SourceLocation = #_sourceLocation,
                 _ ok: (String) -> Bool) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var last = ""
        while Date() < deadline {
            last = try screen()
            if ok(last) { return last }
            Thread.sleep(forTimeInterval: 0.1)
        }
        Issue.record(Comment(rawValue: "timed out waiting for \(what); the screen was:\n\(last)"), sourceLocation: sourceLocation)
        throw Timeout()
    }

    @discardableResult
    func waitFor(_ text: String, timeout: TimeInterval = 20, sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        try waitFor("'\(text)'", timeout: timeout, sourceLocation: sourceLocation) { $0.contains(text) }
    }

    /// The process running in the pane under its shell (the player).
    /// Writes `text` straight to the pane's terminal, as another program printing over the
    /// player would.
    func scribble(_ text: String) throws {
        let tty = try run(["display-message", "-p", "-t", session, "#{pane_tty}"]).trimmingCharacters(in: .whitespacesAndNewlines)
        guard let h = FileHandle(forWritingAtPath: tty) else { throw Timeout() }
        h.write(("\u{1B}[6;6H" + text).data(using: .utf8)!)
        try h.close()
    }

    func playerPID() throws -> Int32 {
        let shell = try run(["display-message", "-p", "-t", session, "#{pane_pid}"]).trimmingCharacters(in: .whitespacesAndNewlines)
        let children = (try? String(contentsOfFile: "/proc/\(shell)/task/\(shell)/children", encoding: .utf8)) ?? ""
        guard let pid = children.split(separator: " ").first.flatMap({ Int32($0) }) else { throw Timeout() }
        return pid
    }

    struct Timeout: Error {}
}
