/// `s` with control characters (but tab) and the bidirectional overrides written as
/// `\u{1B}`-style escapes: text from a file someone else wrote (a lesson, a progress file) can
/// neither drive the terminal nor reorder what is printed around it.
public func visibleControls(_ s: String) -> String {
    func hidden(_ u: Unicode.Scalar) -> Bool {
        (u.value < 0x20 && u != "\t") || (0x7F...0x9F).contains(u.value)
            || (0x202A...0x202E).contains(u.value) || (0x2066...0x2069).contains(u.value)
    }
    guard s.unicodeScalars.contains(where: hidden) else { return s }
    var out = ""
    for u in s.unicodeScalars {
        if hidden(u) { out += "\\u{\(String(u.value, radix: 16, uppercase: true))}" } else { out.unicodeScalars.append(u) }
    }
    return out
}
