import Testing
import Canvas
import Lessons
import Scenes
@testable import App

/// A lesson that names a glyph (`●` a call) promises the student will find it: in ASCII the
/// narration is folded character by character, so the folded glyph must be what the ASCII
/// screen draws. (breaker-trips said "`○` its reply", which folds to the follower's `F`, while
/// the ASCII scene drew `o` for a reply and `*` for a call.)
@Suite struct NarratedGlyphTests {
    @Test func everyGlyphANarrationNamesIsOnTheASCIIScreenOrInItsLegend() {
        var checked = 0
        for lesson in BuiltinLessons.all {
            let doc = LessonDocument(file: lesson.name + ".md", name: lesson.name, text: lesson.text)
            let texts = [doc.introduction] + doc.steps.map(\.narration)
            for (step, lines) in texts.enumerated() {
                let named = Self.namedGlyphs(lines.joined(separator: "\n"))
                guard !named.isEmpty, case .success(let session) = Catalog.open(doc, atStep: step, interactive: false) else { continue }
                var canvas = Canvas(width: 100, height: 30)
                session.drawScene(in: canvas.bounds, on: &canvas, SceneContext(glyphs: .ascii, sizeClass: .regular))
                let shown = canvas.text + "\n" + session.legend(.ascii).joined(separator: "\n")
                for glyph in named {
                    let folded = ASCIIFold.string(String(glyph))
                    #expect(Self.standsAlone(folded, in: shown), "\(lesson.name) step \(step) names `\(glyph)`: `\(folded)` in ASCII is not on its screen or in its legend")
                    checked += 1
                }
            }
        }
        #expect(checked >= 6)   // the lessons do name glyphs: the test is not vacuous
    }

    /// Whether `glyph` occurs with no letter or digit touching it (an `F` inside "HALF-OPEN" is
    /// not a glyph on the screen).
    static func standsAlone(_ glyph: String, in text: String) -> Bool {
        let chars = Array(text), g = Array(glyph)
        guard !g.isEmpty, chars.count >= g.count else { return false }
        func word(_ c: Character) -> Bool { c.isLetter || c.isNumber }
        for i in 0...(chars.count - g.count) where Array(chars[i..<(i + g.count)]) == g {
            let before = i == 0 || !word(chars[i - 1]), after = i + g.count == chars.count || !word(chars[i + g.count])
            if before && after { return true }
        }
        return false
    }

    /// Single non-ASCII characters in backticks: how narration points at a glyph.
    static func namedGlyphs(_ text: String) -> Set<Character> {
        var out: Set<Character> = []
        let parts = text.split(separator: "`", omittingEmptySubsequences: false)
        for (k, part) in parts.enumerated() where k % 2 == 1 && part.count == 1 {
            if let c = part.first, !c.isASCII { out.insert(c) }
        }
        return out
    }
}
