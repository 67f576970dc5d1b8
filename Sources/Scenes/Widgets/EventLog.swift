import Canvas
import Simulation

/// The newest journal entries, oldest at the top, one line each.
public enum EventLog {
    public static func draw(_ entries: [JournalEntry], in r: Rect, on canvas: inout Canvas, glyphs: GlyphSet) {
        guard r.height > 0 else { return }
        let shown = entries.suffix(r.height)
        for (row, e) in shown.enumerated() {
            canvas.text(truncate(line(e, glyphs), to: r.width, ellipsis: glyphs.ellipsis), x: r.x, y: r.y + row, style(e))
        }
    }

    public static func line(_ e: JournalEntry, _ g: GlyphSet) -> String {
        var t = e.text
        if g == .ascii { t = t.replacing("✓", with: "+").replacing("✗", with: "x").replacing("→", with: "->") }
        return e.line(arrow: g.arrow, stampWidth: 10, actorWidth: g == .ascii ? 8 : 7, text: t)
    }

    /// Kinds a student should notice stand out; routine traffic stays quiet.
    static func style(_ e: JournalEntry) -> Style {
        switch e.kind {
        case .state: return Style(foreground: .yellow, bold: true)
        case .fault, .command: return Style(foreground: .magenta, bold: true)
        case .drop: return Style(foreground: .red)
        case .expect: return e.text.hasPrefix("✓") ? Style(foreground: .green) : Style(foreground: .red, bold: true)
        case .client: return Style(foreground: .cyan, bold: true)
        case .send, .deliver, .timer, .note: return .plain
        }
    }
}

