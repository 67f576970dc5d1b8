import ArgumentParser
import App
import Canvas
import Foundation
#if canImport(Glibc)
import Glibc
#endif

struct Present: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Present a lesson to a room: the scene large, the narration as a band, driven by a clicker.",
        discussion: """
        PgDn, → or space goes on (plays a step, finishes it, goes to the next; reveals a question's \
        answer); PgUp or ← goes back; b, . or F5 blanks the screen; 1-9 highlights a node; g N Enter \
        goes to step N; ? shows every key. A step's questions go to the class: letters count raised \
        hands, t starts thinking time. `clustertutor notes` in another terminal follows with the \
        speaker notes.
        """, version: ClusterTutor.version)
    @Argument(help: "A built-in lesson's name or a lesson file's path.") var lesson: String
    @OptionGroup var screen: ScreenOptions

    func run() throws {
        let document = try loadOrExit(lesson)
        let session = try openOrExit(document, step: 0, interactive: true)
        try requireTerminal("clustertutor present")
        let server = PresenterServer()
        defer { server.close() }
        let title = document.title
        var state = PresenterState(player: PlayerState(session: session, experiments: .background))
        // Said on screen at once, for the teacher: `notes` would follow the other presentation.
        if let why = server.problem { state.status = "speaker notes unavailable: \(why)" }
        try runInteractive(.presenter(state), screen, idleWait: 500, onFrame: { model in
            guard let s = model.presenter else { return }
            let p = s.player.session
            server.publish(PresenterLink.State(lesson: title, step: p.step, steps: p.stepCount,
                                               title: p.step == 0 ? "Introduction" : (p.stepTitle ?? ""),
                                               notes: p.notes, next: p.nextStepTitle, question: s.question != nil, pending: s.pendingQuestion != nil, revealed: s.question?.revealed ?? false,
                                               blanked: s.blanked, elapsed: Int(s.elapsed / 1_000_000)))
        })
        if let why = server.problem {
            FileHandle.standardError.write("clustertutor present: no speaker notes for this presentation: \(why)\n".data(using: .utf8)!)
        }
    }
}

struct Notes: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Follow a presentation from another terminal: the step's speaker notes, the next step, the time.",
        version: ClusterTutor.version)

    static func connectTo(_ path: String) -> Int32? {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard var addr = PresenterLink.address(path), fd >= 0,
              withUnsafePointer(to: &addr, { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) } }) == 0 else {
            if fd >= 0 { close(fd) }
            return nil
        }
        return fd
    }

    func run() throws {
        let path = PresenterLink.socketPath
        guard var fd = Self.connectTo(path) else {
            FileHandle.standardError.write("clustertutor notes: nothing to follow: no presentation is running (looked for \(path)). Start one with 'clustertutor present LESSON' in another terminal.\n".data(using: .utf8)!)
            throw ExitCode(1)
        }
        // A lecture of several lessons is several presentations: between them, wait for the next.
        while true {
            follow(fd)
            close(fd)
            FileHandle.standardOutput.write("\n-- the presentation ended; waiting for the next one (Ctrl-C stops) --\n".data(using: .utf8)!)
            var next: Int32?
            while next == nil { sleep(1); next = Self.connectTo(path) }
            fd = next!
        }
    }

    func follow(_ fd: Int32) {
        let tty = isatty(1) == 1
        var buffer = [UInt8](), state: PresenterLink.State?, receivedAt = Date()
        var lastShown = ""
        while true {
            var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&p, 1, 1_000)
            if ready > 0 {
                var chunk = [UInt8](repeating: 0, count: 4_096)
                let n = read(fd, &chunk, chunk.count)
                if n <= 0 { return }
                buffer += chunk[0..<n]
                if buffer.count > 1_000_000 { buffer.removeAll() }
                while let nl = buffer.firstIndex(of: 10) {
                    let line = Data(buffer[..<nl]); buffer.removeSubrange(...nl)
                    if let s = try? JSONDecoder().decode(PresenterLink.State.self, from: line) { state = s; receivedAt = Date() }
                }
            }
            guard let s = state else { continue }
            let elapsed = s.elapsed + Int(Date().timeIntervalSince(receivedAt))
            let text = Self.page(s, elapsed: elapsed, width: tty ? Self.columns() : 80)
            // Off a terminal (a pipe, a test), each change once; on one, the page redrawn each second.
            let out = FileHandle.standardOutput
            if tty { out.write(("\u{1B}[H\u{1B}[2J" + text).data(using: .utf8)!) }
            else if Self.page(s, elapsed: 0, width: 80) != lastShown { lastShown = Self.page(s, elapsed: 0, width: 80); out.write((text + "\n").data(using: .utf8)!) }
        }
    }

    static func columns() -> Int {
        var w = winsize()
        return ioctl(1, UInt(TIOCGWINSZ), &w) == 0 && w.ws_col > 20 ? Int(w.ws_col) : 80
    }

    static func page(_ s: PresenterLink.State, elapsed: Int, width: Int) -> String {
        let rule = String(repeating: "-", count: min(width, 80))
        let question = s.question ? (s.revealed ? "  (answer revealed)" : "  (a question is open)")
            : s.pending == true ? "  (the next click asks a question)" : ""
        var lines = ["Speaker notes: \(s.lesson)", "elapsed \(elapsed / 60):\(elapsed % 60 < 10 ? "0" : "")\(elapsed % 60)"
                     + (s.blanked ? "  (screen blanked)" : "") + question, rule]
        lines.append(s.step == 0 ? "Introduction" : "Step \(s.step)/\(s.steps): \(s.title)")
        lines.append("")
        for note in s.notes.isEmpty ? ["(no notes for this step)"] : s.notes {
            lines += note.isEmpty ? [""] : wrap([Span(note)], width: width).map { $0.map(\.text).joined() }
        }
        lines.append(rule)
        lines.append(s.next.map { "Next: step \(s.step + 1): \($0)" } ?? "Next: the end of the lesson")
        return lines.joined(separator: "\n") + "\n"
    }
}
