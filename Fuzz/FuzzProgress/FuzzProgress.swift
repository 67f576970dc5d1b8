import Foundation
import Quiz

/// libFuzzer target: bytes as the quiz progress file. A file that decodes and is sane must
/// then be usable by everything the quiz does with it; an insane one is set aside, never used.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzProgress(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Data(bytes: data, count: size)
    guard var p = try? JSONDecoder().decode(QuizProgress.self, from: bytes), p.isSane else { return 0 }
    for key in p.items.keys.prefix(50) {
        _ = p.isDue(key, session: p.sessions + 1)
        _ = p.box(key)
    }
    _ = p.mostMissed(5)
    p.record(item: "fuzz", title: "fuzz", grade: .wrong, session: p.sessions + 1)
    _ = try? JSONEncoder().encode(p)
    return 0
}

// SwiftPM links an executable's entry point as `FuzzProgress_main`; libFuzzer's driver is started
// from there (its own `main` is then not needed, nor linked).
@_cdecl("FuzzProgress_main")
func FuzzProgressMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runFuzzer(argc, argv, fuzzProgress)
}
