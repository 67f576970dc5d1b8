import Foundation
import Testing
import Canvas

@Suite struct JSONTextTests {
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
}
