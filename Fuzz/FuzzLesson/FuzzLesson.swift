import App
import Lessons
import Patterns

/// libFuzzer target: a lesson file's bytes through the parser and the compiler of its pattern
/// (and of every other pattern, since a mutated `pattern:` line is an input too). Nothing is
/// run. A trap, a hang (libFuzzer's -timeout) or runaway memory (-rss_limit_mb) is a finding.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzLesson(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    // The real reader refuses bytes that are not UTF-8; so does this.
    guard let text = String(validating: UnsafeBufferPointer(start: data, count: size), as: UTF8.self) else { return 0 }
    let document = LessonDocument(file: "fuzz.md", name: "fuzz", text: text)
    _ = document.diagnostics
    for p in Catalog.patterns { _ = compileOnly(p, document) }
    return 0
}

func compileOnly<P: Pattern>(_: P.Type, _ d: LessonDocument) -> Bool {
    if case .success = CompiledLesson<P>.compile(d) { return true }
    return false
}

// SwiftPM links an executable's entry point as `FuzzLesson_main`; libFuzzer's driver is started
// from there (its own `main` is then not needed, nor linked).
@_cdecl("FuzzLesson_main")
func FuzzLessonMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runFuzzer(argc, argv, fuzzLesson)
}
