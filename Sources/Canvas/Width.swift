/// Terminal columns a character takes: 0 for combining marks and controls, 2 for East Asian wide
/// and emoji, 1 otherwise. Narration is written by anyone, so wide text must not break the grid.
public func displayWidth(_ c: Character) -> Int {
    guard let s = c.unicodeScalars.first else { return 0 }
    let v = s.value
    if v < 0x20 || (v >= 0x7F && v < 0xA0) { return 0 }
    // Fast paths for what screens are made of (Latin text, box drawing, shapes): Unicode
    // property lookups cost more than drawing the rest of the cell.
    if v < 0x300 { return 1 }
    if v >= 0x2500 && v <= 0x25FC, c.unicodeScalars.count == 1 { return 1 }
    if s.properties.generalCategory == .nonspacingMark || s.properties.generalCategory == .enclosingMark { return 0 }
    // Zero-width spaces, joiners on their own, and direction overrides: nothing to see, and a
    // right-to-left override sent to the terminal would reorder the line around it. Width 0
    // means the canvas does not draw them.
    if s.properties.generalCategory == .format { return 0 }
    // A cell keeps a character's first scalar only, and that is what reaches the terminal: the
    // width is that scalar's. (❤️ counted 2 for its variation selector and a flag 2 for its
    // pair, while the terminal drew a lone ❤ or regional indicator in one column, leaving a
    // stale cell beside it.)
    if (0x1F1E6...0x1F1FF).contains(v) { return 1 }
    if s.properties.isEmojiPresentation { return 2 }
    // The terminal places the cursor by the C library's `wcwidth` (ncurses and tmux both ask
    // it), so these tables follow it wherever it knows the character: a column counted here
    // and not there shifts the rest of the line (`WidthTests` compares every character).
    switch v {
    case 0x1100...0x115F, 0x2329...0x232A, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF,
         0x4DC0...0x4DFF, 0x4E00...0x9FFF, 0xA000...0xA4CF, 0xA960...0xA97C, 0xAC00...0xD7A3,
         0xF900...0xFAFF, 0xFE10...0xFE19, 0xFE30...0xFE4F, 0xFE50...0xFE6B, 0xFF00...0xFF60,
         0xFFE0...0xFFE6, 0x16FE0...0x16FE4, 0x16FF0...0x16FF1, 0x17000...0x18CFF,
         0x18D00...0x18D08, 0x1AFF0...0x1AFFE, 0x1B000...0x1B2FF, 0x1F200...0x1F265,
         0x20000...0x2FFFD, 0x30000...0x3FFFD:
        return 2
    // Hangul vowels and final consonants that join the syllable before them (and one Ahom
    // sign): alone, the terminal gives them no column.
    case 0x1160...0x11FF, 0xD7B0...0xD7FF, 0x1171E:
        return 0
    default:
        return 1
    }
}

public func displayWidth(_ s: String) -> Int { s.reduce(0) { $0 + displayWidth($1) } }

/// Cuts `s` to at most `width` columns, marking the cut with `ellipsis` when there is room.
public func truncate(_ s: String, to width: Int, ellipsis: String = "…") -> String {
    guard width > 0 else { return "" }
    if displayWidth(s) <= width { return s }
    var out = "", used = 0
    let limit = width - displayWidth(ellipsis)
    for c in s {
        let w = displayWidth(c)
        if used + w > limit { break }
        out.append(c); used += w
    }
    return limit > 0 ? out + ellipsis : String(s.prefix(width))
}
