import Canvas
import Quiz

enum QuizScreen {
    static func draw(_ q: QuizState, on canvas: inout Canvas, glyphs g: GlyphSet) {
        let full = canvas.bounds
        let (status, rest) = full.splitTop(1)
        let (body, keys) = rest.splitBottom(1)
        let s = q.session.score
        canvas.fill(status, " ", .reverse)
        let era = q.session.options.topics.contains(.latency) ? " | era \(q.session.options.era.rawValue)" : ""
        // The seed replays the same questions (`--seed`), as the plain quiz prints it.
        let right = "\(s.right) right, \(s.close) close, \(s.wrong) wrong\(era) | seed \(q.session.options.seed) "
        canvas.text(" ClusterTutor quiz", x: 0, y: 0, Style(bold: true, reverse: true))
        canvas.text(right, x: status.maxX - displayWidth(right), y: 0, Style(bold: true, reverse: true))

        let title = q.isOver ? "Summary"
            : q.feedback != nil ? "Answer to question \(q.feedbackNumber) of \(q.session.options.count)"
            : "Question \(q.session.asked) of \(q.session.options.count)" + (q.session.current.map { " | \($0.topic.rawValue)" } ?? "")
        canvas.box(body, glyphs: g, title: title)
        let inner = body.inset(1)
        let width = inner.width - 2
        var lines: [StyledLine] = []
        if let notice = q.notice { lines += wrap([Span(notice, Style(foreground: .yellow, bold: true))], width: width); lines.append([]) }
        if q.isOver {
            for l in q.session.summary(stored: q.session.progress) { lines += wrap([Span(l)], width: width) }
            lines.append([])
            lines.append([Span("Progress is saved. Enter or q quits.", .dim)])
        } else if let feedback = q.feedback {
            let (mark, style): (String, Style) = switch q.feedbackGrade {
            case .right?: (String(g.check), Style(foreground: .green, bold: true))
            case .close?: ("~", Style(foreground: .yellow, bold: true))
            default: (String(g.cross), Style(foreground: .red, bold: true))
            }
            lines += wrap([Span("\(mark) " + feedback[0], style)], width: width)
            lines.append([])
            for l in feedback.dropFirst() {
                let indent = l.prefix { $0 == " " }.count
                lines += wrap([Span(String(l.dropFirst(indent)))], width: width - indent).map { [Span(String(repeating: " ", count: indent))] + $0 }
            }
            lines.append([])
            lines.append([Span(q.session.isFinished ? "Enter for the summary." : "Enter for the next question, Esc to stop.", .dim)])
        } else if let question = q.session.current {
            for l in question.prompt { lines += wrap([Span(l, l.hasPrefix("[") ? .dim : .bold)], width: width) }
            lines.append([])
            lines.append([Span("> ", .bold), Span(q.input, Style(underline: true)), Span("_", .dim)])
            lines.append([])
            if let p = q.problem { lines += wrap([Span(p, Style(foreground: .red, bold: true))], width: width); lines.append([]) }
            let hint: String
            switch question.expected {
            case .quantity(_, let d):
                let unit = d == .count || question.unitImplied ? "" : " and a unit"
                hint = "Answer with a number\(unit), e.g. \(d.examples). " + (question.rule.map { $0.rule.prefix(1).uppercased() + $0.rule.dropFirst() + "." } ?? "")
            case .order: hint = "Type the letters from fastest to slowest."
            }
            lines += wrap([Span(hint, .dim)], width: width)
        }
        for (row, l) in lines.prefix(inner.height).enumerated() { canvas.line(l, x: inner.x + 1, y: inner.y + row, maxWidth: width) }

        let help = q.isOver ? "Enter/q quit" : (q.feedback != nil ? "Enter next  Esc stop" : "Enter answer  Backspace edit  Esc stop (or q on an empty line)")
        canvas.text(truncate(help, to: keys.width, ellipsis: g.ellipsis), x: 0, y: keys.y, .dim)
    }
}
