import Patterns

/// Finds the pattern a document names, among those the tool was built with.
public func pattern(for document: LessonDocument, among patterns: [any Pattern.Type]) -> Result<any Pattern.Type, Diagnostics> {
    guard document.diagnostics.isEmpty else { return .failure(Diagnostics(document.diagnostics)) }
    let name = document.patternName ?? ""
    var known: [String] = []
    for p in patterns {
        if p.name == name { return .success(p) }
        known.append(p.name)
    }
    let e = document.settings.entries["pattern"]
    return .failure(Diagnostics([Diagnostic(file: document.file, line: e?.line ?? 1, column: e?.column ?? 1,
        "unknown pattern '\(name)'" + didYouMean(name, known) + "; known patterns: \(known.joined(separator: ", "))")]))
}

/// Parses, compiles and runs a lesson headless: what `clustertutor check` does for each file.
public func checkLesson(_ document: LessonDocument, among patterns: [any Pattern.Type]) -> CheckOutcome {
    switch pattern(for: document, among: patterns) {
    case .failure(let d):
        return CheckOutcome(name: document.name, file: document.file, steps: document.steps.count,
                            expectations: 0, simulated: 0, events: 0, diagnostics: d.all)
    case .success(let p):
        return check(p, document)
    }
}

private func check<P: Pattern>(_: P.Type, _ document: LessonDocument) -> CheckOutcome {
    switch CompiledLesson<P>.compile(document) {
    case .failure(let d):
        return CheckOutcome(name: document.name, file: document.file, steps: document.steps.count,
                            expectations: 0, simulated: 0, events: 0, diagnostics: d.all)
    case .success(let lesson):
        return LessonRun<P>.check(lesson)
    }
}
