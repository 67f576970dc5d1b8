import Canvas
import Simulation

/// The newest journal entries, oldest at the top, one line each.
///
/// What a student reads here is the protocol (messages, state changes) and what they did
/// themselves; a lesson's own checks are for its author, so a run of `expect` lines folds into
/// one (`✓ 4 checks`), a failed check always showing in full. `folded: false` (the student asked
/// for everything) shows every line; `scroll` goes back from the newest.
public enum EventLog {
    /// One line as drawn: a journal entry, or a summary of checks that held.
    public enum Line: Equatable {
        case entry(JournalEntry)
        case checks(passed: Int, at: SimTime)
    }

    public static func lines(_ entries: [JournalEntry], folded: Bool) -> [Line] {
        guard folded else { return entries.map(Line.entry) }
        var out: [Line] = []
        var run: [JournalEntry] = []
        func flush() {
            let passed = run.filter { $0.text.hasPrefix("✓") }
            if !passed.isEmpty { out.append(.checks(passed: passed.count, at: passed.last!.time)) }
            for e in run where !e.text.hasPrefix("✓") { out.append(.entry(e)) }
            run = []
        }
        for e in entries {
            if e.kind == .expect { run.append(e); continue }
            // A script's commands between its checks do not break the run of checks.
            if e.kind == .command && !run.isEmpty && e.node == nil { out.append(.entry(e)); continue }
            flush()
            out.append(.entry(e))
        }
        flush()
        return out
    }

    public static func draw(_ entries: [JournalEntry], in r: Rect, on canvas: inout Canvas, glyphs: GlyphSet,
                            folded: Bool = true, scroll: Int = 0) {
        guard r.height > 0 else { return }
        let all = lines(entries, folded: folded)
        let end = max(0, all.count - max(0, scroll))
        let shown = all[max(0, end - r.height)..<end]
        for (row, l) in shown.enumerated() {
            switch l {
            case .entry(let e):
                canvas.text(truncate(line(e, glyphs), to: r.width, ellipsis: glyphs.ellipsis), x: r.x, y: r.y + row, style(e))
            case let .checks(n, at):
                let summary = JournalEntry(time: at, kind: .expect, text: "\(glyphs.check) \(n) lesson check\(n == 1 ? "" : "s") held (l shows them)")
                let text = line(summary, glyphs)
                canvas.text(truncate(text, to: r.width, ellipsis: glyphs.ellipsis), x: r.x, y: r.y + row, Style(foreground: .green, dim: true))
            }
        }
    }

    public static func line(_ e: JournalEntry, _ g: GlyphSet) -> String {
        let t = g.text(e.text)
        return e.line(arrow: g.arrow, stampWidth: 10, actorWidth: g == .ascii ? 8 : 7, text: t)
    }

    /// Kinds a student should notice stand out; routine traffic stays quiet; what the student
    /// did by hand stands out most.
    static func style(_ e: JournalEntry) -> Style {
        if e.text.hasSuffix("(by hand)") { return Style(foreground: .magenta, bold: true, reverse: true) }
        switch e.kind {
        case .state: return Style(foreground: .yellow, bold: true)
        case .fault, .command: return Style(foreground: .magenta, bold: true)
        case .drop: return Style(foreground: .red)
        case .expect: return e.text.hasPrefix("✓") ? Style(foreground: .green) : Style(foreground: .red, bold: true)
        case .client: return Style(foreground: .cyan, bold: true)
        case .step: return Style(bold: true, underline: true)
        case .send, .deliver, .timer, .note: return .plain
        }
    }
}
