import Foundation
import Testing
import Canvas

@Suite struct TextSafetyTests {
    /// Every character a title, a parameter or a terminal frame can hold comes back intact
    /// through a real JSON parser.
    @Test func anyTextSurvivesAJSONParser() throws {
        var nasty = "quote \" backslash \\ slash / tab \t newline \n return \r bell \u{7} esc \u{1B}[31m del \u{7F} é 漢 🙂"
        for v in 0..<0x20 { nasty.unicodeScalars.append(Unicode.Scalar(UInt8(v))) }
        let literal = JSONText.string(nasty)
        #expect(!literal.unicodeScalars.contains { $0.value < 0x20 })   // nothing raw inside
        let parsed = try JSONSerialization.jsonObject(with: Data("[\(literal)]".utf8)) as? [String]
        #expect(parsed == [nasty])
    }

    /// Invisible characters in a lesson (zero-width spaces, a right-to-left override) take no
    /// column and never reach the terminal: the box's right border stays where it belongs.
    @Test func formatCharactersTakeNoRoomAndAreNotDrawn() {
        let sneaky = "a\u{200B}b\u{202E}c\u{2066}d\u{FEFF}"
        #expect(displayWidth(sneaky) == 4)
        var canvas = Canvas(width: 10, height: 1)
        #expect(canvas.text(sneaky, x: 0, y: 0) == 4)
        #expect(canvas.text.hasPrefix("abcd"))
        #expect(!canvas.ansi(since: nil).unicodeScalars.contains { $0.properties.generalCategory == .format })
        #expect(displayWidth("👨‍👩‍👧") == 2)   // a joiner inside an emoji sequence still joins
    }
}
