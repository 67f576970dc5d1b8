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

#if canImport(Glibc)
import Glibc

/// The C library's width of a character, as ncurses and tmux use it to place the cursor.
@_silgen_name("wcwidth") private func libcWidth(_ c: Int32) -> Int32

@Suite struct WidthTests {
    /// Every character the C library knows takes as many columns on the canvas as the terminal
    /// gives it: one counted differently shifts the rest of a line drawn from a lesson's text
    /// (Hangul vowels alone took a column here and none in the terminal; Tangut, Nushu and the
    /// Yijing hexagrams took one here and two there). Characters the C library does not know
    /// yet (it answers -1) are left to our tables. Format characters differ on purpose: they
    /// take no column and are never drawn, even the few the C library gives one (the Arabic
    /// number signs that join the digits after them).
    @Test func widthsAgreeWithTheCLibrary() {
        #expect(setlocale(LC_ALL, "C.UTF-8") != nil)
        var differ: [String] = []
        for v in UInt32(0x20)...0x3FFFF {
            guard let u = Unicode.Scalar(v) else { continue }
            let kind = u.properties.generalCategory
            if kind == .unassigned || kind == .privateUse || kind == .surrogate || kind == .format { continue }
            let libc = Int(libcWidth(Int32(v)))
            guard libc >= 0 else { continue }
            let ours = displayWidth(Character(u))
            if ours != libc { differ.append("U+\(String(v, radix: 16, uppercase: true)) \(ours) here, \(libc) in libc") }
        }
        #expect(differ.isEmpty, "\(differ.count): \(differ.prefix(20).joined(separator: "; "))")
        #expect(displayWidth("\u{1160}") == 0 && displayWidth("\u{4DC0}") == 2 && displayWidth("\u{17000}") == 2)
        #expect(displayWidth("\u{1100}\u{1161}") == 2)   // a syllable spelt in parts is one wide character
        // A character is as wide as its first scalar, the one a cell keeps and the terminal is sent.
        #expect(displayWidth("\u{2764}\u{FE0F}") == 1 && displayWidth("🇫🇷") == 1 && displayWidth("👍🏽") == 2)
    }
}
#endif
