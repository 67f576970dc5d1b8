import Canvas

/// Just enough Markdown for narration: paragraphs, `#` headings, bullet lists, fenced code,
/// **bold**, *italic*, `code`. Unknown syntax is shown as written rather than guessed at.
public enum Markdown {
    public static func render(_ input: [String], width: Int, glyphs: GlyphSet) -> [StyledLine] {
        // A lesson's own words too: under --ascii, "→" becomes "->" before lines are wrapped.
        let lines = input.map(glyphs.text)
        var out: [StyledLine] = []
        var paragraph: [String] = []
        var inCode = false
        // A bullet item, which may go on over indented lines ("- It opens when\n  the rate …").
        var item: (lead: String, parts: [String])?
        func flush() {
            if let i = item {
                out += wrap([Span(i.lead)] + inline(i.parts.joined(separator: " ")), width: width, indent: i.lead.count)
                item = nil
            }
            guard !paragraph.isEmpty else { return }
            out += wrap(inline(paragraph.joined(separator: " ")), width: width)
            paragraph = []
        }
        func blank() { if let last = out.last, !last.isEmpty { out.append([]) } }
        for raw in lines {
            let line = raw.trimmingTrailingSpaces
            if line.hasPrefix("```") {
                flush()
                if !inCode { blank() }
                inCode.toggle()
                continue
            }
            if inCode {
                out.append([Span("  " + truncate(line, to: width - 2, ellipsis: glyphs.ellipsis), Style(foreground: .cyan))])
                continue
            }
            let trimmed = line.drop { $0 == " " }
            if trimmed.isEmpty { flush(); blank(); continue }
            if let bullet = bulletText(String(trimmed)) {
                flush()
                let indent = (line.count - trimmed.count) / 2 * 2
                item = (String(repeating: " ", count: indent) + String(glyphs.bullet) + " ", [bullet])
                continue
            }
            if item != nil, line.first == " ", !trimmed.hasPrefix("#") {
                item!.parts.append(String(trimmed))
                continue
            }
            if trimmed.hasPrefix("#") {
                flush()
                let title = trimmed.drop { $0 == "#" }.drop { $0 == " " }
                out += wrap(inline(String(title)).map { Span($0.text, $0.style.with { $0.bold = true; $0.underline = true }) }, width: width)
                continue
            }
            if item != nil { flush() }
            paragraph.append(String(trimmed))
        }
        flush()
        while out.last?.isEmpty == true { out.removeLast() }
        return out
    }

    static func bulletText(_ s: String) -> String? {
        for p in ["- ", "* ", "+ "] where s.hasPrefix(p) { return String(s.dropFirst(2)) }
        return nil
    }

    /// Inline emphasis. A marker with no closing partner stays as literal text.
    public static func inline(_ s: String) -> [Span] {
        var spans: [Span] = []
        var chars = Array(s)[...]
        var plain = ""
        func emit(_ text: String, _ style: Style) {
            if !plain.isEmpty { spans.append(Span(plain)); plain = "" }
            spans.append(Span(text, style))
        }
        while let c = chars.first {
            if c == "`", let end = chars.dropFirst().firstIndex(of: "`") {
                emit(String(chars[chars.index(after: chars.startIndex)..<end]), Style(foreground: .cyan, bold: true))
                chars = chars[(end + 1)...]
                continue
            }
            if c == "*" || c == "_" {
                let double = chars.dropFirst().first == c
                let marker = double ? String([c, c]) : String(c)
                let body = chars.dropFirst(marker.count)
                if let range = find(marker, in: body), range.lowerBound > body.startIndex {
                    let inner = String(body[body.startIndex..<range.lowerBound])
                    emit(inner, double ? Style(bold: true) : Style(underline: true, italic: true))
                    chars = chars[range.upperBound...]
                    continue
                }
            }
            plain.append(c)
            chars = chars.dropFirst()
        }
        if !plain.isEmpty { spans.append(Span(plain)) }
        return spans
    }

    static func find(_ marker: String, in s: ArraySlice<Character>) -> Range<Int>? {
        let m = Array(marker)
        var i = s.startIndex
        while i + m.count <= s.endIndex {
            if Array(s[i..<i + m.count]) == m { return i..<(i + m.count) }
            i += 1
        }
        return nil
    }
}

extension String {
    var trimmingTrailingSpaces: String {
        var s = self
        while s.last == " " || s.last == "\t" { s.removeLast() }
        return s
    }
}
