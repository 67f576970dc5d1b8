import Canvas
import Quiz
import Scenes

enum LessonQuizOverlay {
    /// The box's width in a column `available` wide: lines longer than 72 are hard to read.
    static func width(_ available: Int) -> Int { min(available, 72) }

    /// Draws the question inside `area`: the player gives it the narration's column (and the
    /// log's rows under it), never the scene, since a question is about what the scene shows.
    /// `hint`: whether the box repeats the keys (the key bar always shows them; on a short
    /// screen the box leaves them out, so the narration above keeps its room).
    static func draw(_ q: LessonQuizState, _ block: LessonQuiz, count: Int, in area: Rect, hint: Bool = true,
                     on canvas: inout Canvas, glyphs g: GlyphSet) {
        let w = width(area.width)
        let (lines, selected) = content(q, block, width: w, hint: hint, glyphs: g)
        draw(lines, selected: selected, q, count: count, in: area, width: w, on: &canvas, glyphs: g)
    }

    /// The box's lines for a column `width` wide (the player asks how many, to give the box
    /// its room), and the rows of the choice under the cursor.
    static func content(_ q: LessonQuizState, _ block: LessonQuiz, width w: Int, hint withHint: Bool = true,
                        glyphs g: GlyphSet) -> (lines: [StyledLine], selected: ClosedRange<Int>?) {
        let textWidth = w - 4
        let i0 = 3   // continuation lines of a choice start under its text, after "a) "
        var lines: [StyledLine] = wrap([Span(g.text(block.question), .bold)], width: textWidth)
        // The rows of the choice under the cursor, all of them: a long choice must be read whole.
        var selected: ClosedRange<Int>?
        // Tight (no hint): the bold question needs no blank line to stand apart from the choices.
        if withHint { lines.append([]) }
        if block.choices.isEmpty {
            lines.append([Span("> ", .bold), Span(q.input, Style(underline: true))] + (q.marking == nil ? [Span("_", .dim)] : []))
            if let p = q.problem { lines.append([]); lines += wrap([Span(p, Style(foreground: .red, bold: true))], width: textWidth) }
        } else {
            func style(_ k: Int) -> Style {
                let chosen = k == q.selected
                var style: Style = chosen ? Style(bold: true, reverse: q.marking == nil) : .plain
                if let m = q.marking, case .choice(let right) = block.answer {
                    if k == right { style = Style(foreground: .green, bold: true) }
                    else if chosen && m.grade != .right { style = Style(foreground: .red, bold: true) }
                }
                return style
            }
            func marker(_ k: Int) -> String { k == q.selected ? String(g.selected) : " " }
            let labels = block.choices.enumerated().map { g.text("\(LessonQuiz.letter($0.offset))) \($0.element)") }
            // Short choices ("n1" … "n5") go side by side: five rows of "a) n1" took the
            // room the narration needed on a small screen.
            let cell = (labels.map { displayWidth($0) }.max() ?? 0) + 4
            let most = min(labels.count, textWidth / max(1, cell), 4)
            let rows = (labels.count + max(1, most) - 1) / max(1, most)
            let perRow = (labels.count + rows - 1) / rows   // balanced: 3 + 2, not 4 + 1
            if perRow >= 2 {
                for start in stride(from: 0, to: labels.count, by: perRow) {
                    if (start..<min(start + perRow, labels.count)).contains(q.selected) { selected = lines.count...lines.count }
                    var row: StyledLine = []
                    for k in start..<min(start + perRow, labels.count) {
                        let text = labels[k] + String(repeating: " ", count: cell - 2 - displayWidth(labels[k]))
                        row += [Span(marker(k) + " ", style(k)), Span(text, style(k))]
                    }
                    lines.append(row)
                }
            } else {
                for (k, label) in labels.enumerated() {
                    let top = lines.count
                    // The marker column sits outside the wrapped text, so wrapping cannot eat its space.
                    for (i, l) in wrap([Span(label, style(k))], width: textWidth - 2, indent: i0).enumerated() {
                        lines.append([Span(i == 0 ? marker(k) + " " : "  ", style(k))] + l)
                    }
                    if k == q.selected { selected = top...(lines.count - 1) }
                }
            }
        }
        if let m = q.marking {
            // The verdict and the explanation go first: they are what the student reads now,
            // and on a small screen the question above would push them out of sight.
            var answer: StyledLine = []
            let good = m.grade == .right
            let mark = good ? String(g.check) : (m.grade == .close ? "~" : String(g.cross))
            let label = m.grade.label.prefix(1).uppercased() + m.grade.label.dropFirst()
            answer += [Span(g.text("\(mark) \(label)" + (m.verdict.isEmpty ? "" : ": \(m.verdict)")),
                            Style(foreground: good ? .green : (m.grade == .close ? .yellow : .red), bold: true))]
            var top = wrap(answer, width: textWidth)
            if !block.explanation.isEmpty { top.append([]); top += wrap(Markdown.inline(g.text(block.explanation)), width: textWidth) }
            lines = top + [[]] + lines
            selected = nil
        }
        guard withHint else { return (lines, selected) }
        let hint: String
        if q.marking != nil { hint = "Enter continues" }
        else if block.choices.isEmpty { hint = "Type a number, Enter answers, Esc skips." }
        else { hint = "A letter (or arrows and Enter) answers; 1-9 shows a node in full; Esc skips." }
        lines.append([])
        lines += wrap([Span(hint, .dim)], width: textWidth)
        return (lines, selected)
    }

    private static func draw(_ lines: [StyledLine], selected: ClosedRange<Int>?, _ q: LessonQuizState, count: Int, in area: Rect, width w: Int,
                             on canvas: inout Canvas, glyphs g: GlyphSet) {
        let textWidth = w - 4
        // The whole column: the narration underneath would only confuse the question.
        let h = area.height
        let box = Rect(x: area.x + (area.width - w) / 2, y: area.y, width: w, height: h)
        canvas.fill(box)
        canvas.box(box, glyphs: g, Style(bold: true), title: count > 1 ? "Question \(q.index + 1) of \(count)" : "Question")
        let rows = h - 2
        let maxScroll = max(0, lines.count - rows)
        var offset = min(q.scroll, maxScroll)
        // The choice under the cursor is on screen whole, so nothing is answered unseen (its
        // first row wins when it is taller than the box).
        if let sel = selected {
            if sel.upperBound >= offset + rows { offset = min(maxScroll, sel.upperBound - rows + 1) }
            if sel.lowerBound < offset { offset = sel.lowerBound }
        }
        for (i, l) in lines.dropFirst(offset).prefix(rows).enumerated() { canvas.line(l, x: box.x + 2, y: box.y + 1 + i, maxWidth: textWidth) }
        if offset < maxScroll { canvas.text(" \(g.more(below: true)) ", x: box.x + 2, y: box.maxY - 1, .dim) }
        // At the top edge's right end: the title stays readable when the box is scrolled.
        if offset > 0 { canvas.text(" \(g.more(below: false)) ", x: box.maxX - 10, y: box.y, .dim) }
    }
}
