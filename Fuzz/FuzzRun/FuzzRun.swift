import App
import Canvas
import Lessons
import Patterns

/// libFuzzer target: a lesson that compiles is opened as the player opens it and run step by
/// step, as the player runs it, with a budget of events per input (a lesson may legitimately
/// run for a simulated hour; the fuzzer needs many inputs a second). Each step's end is drawn
/// at 80x24, in Unicode and ASCII, with a node selected, so scenes and panels are exercised too.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRun(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard let text = String(validating: UnsafeBufferPointer(start: data, count: size), as: UTF8.self) else { return 0 }
    let document = LessonDocument(file: "fuzz.md", name: "fuzz", text: text)
    guard case .success(let session) = Catalog.open(document, atStep: 0, interactive: true) else { return 0 }
    var model = AppModel(screen: .player(PlayerState(session: session)), width: 80, height: 24, glyphs: .unicode)
    var budget = 200_000
    for _ in 0..<20 {
        guard case .player(var p) = model.screen else { break }
        guard p.session.nextStep() else { break }
        while !p.session.scriptDone && budget > 0 {
            let before = p.session.now
            p.session.advance(to: .max, freeRun: false, maxEvents: 20_000)
            budget -= 20_000
            if p.session.now == before && !p.session.scriptDone { budget -= 20_000 }
        }
        p.selected = 0
        model.screen = .player(p)
        _ = model.view()
        model.glyphs = .ascii
        _ = model.view()
        model.glyphs = .unicode
        if budget <= 0 { break }
    }
    return 0
}

// SwiftPM links an executable's entry point as `FuzzRun_main`; libFuzzer's driver is started
// from there (its own `main` is then not needed, nor linked).
@_cdecl("FuzzRun_main")
func FuzzRunMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runFuzzer(argc, argv, fuzzRun)
}
