import Quiz

/// libFuzzer target: whatever a student types, as an answer of every kind, and whatever an
/// author writes after `=` in a quiz block, marked by every rule.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzAnswer(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    for d in [Dimension.time, .bytes, .count, .bandwidth] {
        for implied in [false, true] {
            if case .success(let v) = AnswerParser.parse(text, as: d, unitImplied: implied) {
                for rule in [Judging.exact, .tolerance(0.2), .factor(2), .orderOfMagnitude] {
                    _ = rule.mark(answer: v, truth: 8).verdict
                    _ = rule.mark(answer: 8, truth: v).verdict
                }
                _ = Format.quantity(v, d)
            }
        }
    }
    _ = Judging.parse(text)
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false).enumerated().map { (String($0.element), $0.offset + 1) }
    if case .success(let q) = LessonQuiz.parse(lines, opening: 1) { _ = q.mark(text); _ = q.mark("3") }
    return 0
}

// SwiftPM links an executable's entry point as `FuzzAnswer_main`; libFuzzer's driver is started
// from there (its own `main` is then not needed, nor linked).
@_cdecl("FuzzAnswer_main")
func FuzzAnswerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runFuzzer(argc, argv, fuzzAnswer)
}
