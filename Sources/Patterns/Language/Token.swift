/// One word or operator of a lesson line, with the column it starts at (1-based).
public struct Token: Sendable, Equatable {
    public enum Kind: Sendable, Equatable { case word, string, op }
    public var kind: Kind
    public var text: String
    public var column: Int
}

/// Splits a `sim` line into tokens. Words run until white space or an operator; operators are
/// `== != <= >= < > -> <-> || |`; `"…"` is a string; `#` starts a comment. `x=1`, `-200ms` and
/// `150-300ms` stay single words, so authors need spaces only around operators they mean.
public func tokenize(_ line: String, column start: Int = 1) -> Result<[Token], Diagnostic> {
    let chars = Array(line)
    var tokens: [Token] = []
    var i = 0
    func at(_ k: Int) -> Character? { k < chars.count ? chars[k] : nil }
    func opAt(_ k: Int) -> String? {
        for op in ["<->", "->", "==", "!=", "<=", ">=", "<", ">", "||", "|"] {
            let n = op.count
            if k + n <= chars.count, String(chars[k..<k + n]) == op { return op }
        }
        return nil
    }
    while i < chars.count {
        let c = chars[i]
        if c == " " || c == "\t" { i += 1; continue }
        if c == "#" { break }
        let col = start + i
        if c == "\"" {
            var j = i + 1
            while j < chars.count, chars[j] != "\"" { j += 1 }
            guard j < chars.count else {
                return .failure(Diagnostic(line: 0, column: col, "unterminated string (add a closing \")"))
            }
            tokens.append(Token(kind: .string, text: String(chars[i + 1..<j]), column: col))
            i = j + 1
            continue
        }
        if let op = opAt(i) {
            tokens.append(Token(kind: .op, text: op, column: col))
            i += op.count
            continue
        }
        var j = i
        while j < chars.count, chars[j] != " ", chars[j] != "\t", chars[j] != "#", chars[j] != "\"" {
            if opAt(j) != nil { break }
            j += 1
        }
        tokens.append(Token(kind: .word, text: String(chars[i..<j]), column: col))
        i = j
    }
    return .success(tokens)
}
