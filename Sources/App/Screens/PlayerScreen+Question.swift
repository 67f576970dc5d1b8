import Canvas
import Lessons
import Quiz
import Scenes

/// The player with a lesson question open: where the question's box goes, how much of the
/// narration stays above it and how it scrolls, and what the key bar offers meanwhile.
extension PlayerScreen {
    /// Where a lesson question goes: in the narration's column under the narration's text (as
    /// much of it as leaves the question room), beside the scene. On a screen too narrow for a
    /// column, the lower part of the screen, under the scene.
    /// `hint` says whether the box also lists its keys: not when leaving them out is what lets
    /// the narration be read in full (the key bar lists them anyway). The narration usually
    /// ends with what to look at before answering, so it matters more than the repetition.
    static func questionArea(_ p: PlayerState, _ full: Rect, glyphs g: GlyphSet = .unicode) -> (area: Rect, hint: Bool) {
        let size = SizeClass(width: full.width, height: full.height)
        let parts = layout(full, needs: needs(p, size), sandbox: p.sandbox, question: true)
        guard let n = parts.narration, n.width >= 24 else {
            let top = parts.log?.y ?? (full.maxY - 10)
            return (Rect(x: full.x, y: top, width: full.width, height: parts.keys.y - top), true)
        }
        // The question takes the rows it needs (as its box lays them out, plus borders); the
        // narration keeps the rest, at least its border.
        func needed(hint: Bool) -> Int {
            guard let q = p.quiz, q.index < p.session.quizzes.count else { return 12 }
            let lines = LessonQuizOverlay.content(q, p.session.quizzes[q.index], width: LessonQuizOverlay.width(n.width), hint: hint, glyphs: g).lines
            return max(hint ? 12 : 6, lines.count + 2)
        }
        let textRows = narration(p, width: n.width, glyphs: g).lines.count + 2
        let hint = n.height - needed(hint: true) >= textRows
        // At least three lines of narration stay readable (PgDn reads on); a question taller than
        // what is left scrolls in its own box, the choice under the cursor always in view.
        let narrationRows = min(textRows, max(5, n.height - needed(hint: hint)))
        return (Rect(x: n.x, y: n.y + narrationRows, width: n.width, height: n.height - narrationRows), hint)
    }

    /// The narration's box: its column, or with a question open the rows above the question.
    static func narrationBox(_ p: PlayerState, _ full: Rect, _ parts: Layout, glyphs g: GlyphSet) -> Rect? {
        guard var box = parts.narration else { return nil }
        if p.quiz != nil {
            let area = questionArea(p, full, glyphs: g).area
            if area.x == box.x { box.height = area.y - box.y }
        }
        return box
    }

    /// Scrolls the narration by pages of what its box shows (with a line kept for context),
    /// never past its end: with a question open the box may show a single line.
    static func scrollNarration(_ p: inout PlayerState, pages: Int, screen full: Rect, glyphs g: GlyphSet) {
        let size = SizeClass(width: full.width, height: full.height)
        let parts = layout(full, needs: needs(p, size), sandbox: p.sandbox, question: p.quiz != nil)
        guard let box = narrationBox(p, full, parts, glyphs: g) else { return }
        let visible = max(1, box.height - 2)
        let total = narration(p, width: box.width, glyphs: g).lines.count
        let page = max(1, visible - 1)
        let maxScroll = max(0, total - visible)
        p.scroll = min(maxScroll, max(0, min(p.scroll, maxScroll) + pages * page))
    }

    /// The question box's scroll offset one page further down, or nil when nothing more is
    /// hidden below (as the box draws it: same area, same lines).
    static func questionPageDown(_ p: PlayerState, screen full: Rect, glyphs g: GlyphSet) -> Int? {
        guard let q = p.quiz, q.index < p.session.quizzes.count else { return nil }
        let (area, hint) = questionArea(p, full, glyphs: g)
        let lines = LessonQuizOverlay.content(q, p.session.quizzes[q.index], width: LessonQuizOverlay.width(area.width), hint: hint, glyphs: g).lines
        let rows = area.height - 2
        let maxScroll = max(0, lines.count - rows)
        let offset = min(q.scroll, maxScroll)
        return offset < maxScroll ? min(maxScroll, offset + max(1, rows - 1)) : nil
    }

    /// While a question is open every key goes to it: the bar says what they do there (it
    /// used to offer "c crash" while c chose answer c).
    /// `narration`: whether the narration above the question hides lines below (PgDn) or has
    /// been scrolled (PgUp).
    static func questionKeys(_ q: LessonQuizState, _ block: LessonQuiz, narration: (below: Bool, scrolled: Bool),
                             glyphs g: GlyphSet) -> [(String, String)] {
        let updown = g == .ascii ? "up/down" : "↑/↓"
        // Answered, PgDn reads the explanation on (then continues): the narration's keys go.
        if q.marking != nil { return [("Enter", "continue"), (updown, "scroll")] }
        let more = narration.below ? [("PgDn", "read on")] : narration.scrolled ? [("PgUp", "back up")] : []
        // Esc before the node keys: at 80 columns the last pair is the one cut off.
        if block.choices.isEmpty { return more + [("type", "the number"), ("Enter", "answer"), ("Esc", "skip")] }
        let last = LessonQuiz.letter(block.choices.count - 1)
        return [("a-\(last)", "answer")] + more + [("\(updown) Enter", "choose"), ("Esc", "skip"), ("1-9", "node")]
    }
}
