import Foundation
import Testing
@testable import Lessons
import Patterns
@testable import App

/// The authoring reference must keep up with the language: everything a pattern declares is documented.
@Suite struct LessonReferenceTests {
    @Test func clocksAreDocumentedToo() throws {
        let reference = try String(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Lessons/README.md"), encoding: .utf8)
        for entry in CommandTable<Clocks>.entries { #expect(reference.contains("`\(entry.name) ") || reference.contains("`\(entry.name)`"), "command \(entry.name)") }
        for q in ConditionReader<Clocks>.queries {
            let written = q.scope == .node ? "`n3.\(q.name)`" : "`\(q.name)`"
            #expect(reference.contains(written), "query \(q.name)")
        }
        for s in Clocks.settings { #expect(reference.contains("`\(s.key): "), "setting \(s.key)") }
    }

    @Test func everyCommandQueryPhraseAndSettingIsDocumented() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Lessons/README.md")
        let reference = try String(contentsOf: url, encoding: .utf8)
        for entry in CommandTable<Raft>.entries { #expect(reference.contains("`\(entry.name) ") || reference.contains("`\(entry.name)`"), "command \(entry.name)") }
        for q in ConditionReader<Raft>.queries {
            let written = q.scope == .node ? "`n3.\(q.name)`" : "`\(q.name)`"
            #expect(reference.contains(written), "query \(q.name)")
        }
        for phrase in Raft.predicateForms { #expect(reference.contains("`\(phrase.replacing("nK", with: "n3"))`"), "phrase \(phrase)") }
        for s in CompiledLesson<Raft>.commonSettings + Raft.settings { #expect(reference.contains("`\(s.key)`"), "setting \(s.key)") }
        for role in Raft.roles { #expect(reference.contains("`\(role)`"), "role \(role)") }
        for marker in ["`?`", "`-`", "`*`", "`= 3`", "`>`", "```quiz"] { #expect(reference.contains(marker), "quiz marker \(marker)") }
    }

    @Test func gossipIsDocumented() throws {
        let reference = try String(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Lessons/README.md"), encoding: .utf8)
        for entry in CommandTable<Gossip>.entries { #expect(reference.contains("`\(entry.name) ") || reference.contains("`\(entry.name)`"), "command \(entry.name)") }
        for q in ConditionReader<Gossip>.queries {
            let written = q.scope == .node ? "`n3.\(q.name)`" : "`\(q.name)`"
            #expect(reference.contains(written), "query \(q.name)")
        }
        for phrase in Gossip.predicateForms {
            let example = phrase.replacing("nK", with: "n3").replacing("KEY=VALUE", with: "x=1").replacing("KEY", with: "x")
            #expect(reference.contains("`\(example)`"), "phrase \(phrase)")
        }
        for s in Gossip.settings { #expect(reference.contains("`\(s.key)`"), "setting \(s.key)") }
        for role in Gossip.roles { #expect(reference.contains("`\(role)`"), "role \(role)") }
    }

    @Test func membershipIsDocumented() throws {
        let reference = try String(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Lessons/README.md"), encoding: .utf8)
        for q in ConditionReader<Membership>.queries {
            let written = q.scope == .node ? "`n3.\(q.name)`" : q.scope == .edge ? "`n1->n4.\(q.name)`" : "`\(q.name)`"
            #expect(reference.contains(written), "query \(q.name)")
        }
        for phrase in Membership.predicateForms {
            let example = phrase.replacing("nA", with: "n1").replacing("nB", with: "n4")
            #expect(reference.contains("`\(example)"), "phrase \(phrase)")
        }
        for s in Membership.settings { #expect(reference.contains("`\(s.key)`"), "setting \(s.key)") }
        for status in MemberStatus.allCases { #expect(reference.contains("`\(status.rawValue)`"), "status \(status)") }
    }

    @Test func resilienceIsDocumented() throws {
        let reference = try String(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Lessons/README.md"), encoding: .utf8)
        for entry in CommandTable<Resilience>.entries { #expect(reference.contains("`\(entry.name) ") || reference.contains("`\(entry.name)`"), "command \(entry.name)") }
        for q in Resilience.queries {
            let written = q.scope == .node ? "`front.\(q.name)`" : "`front->payments.\(q.name)`"
            #expect(reference.contains(written), "query \(q.name)")
        }
        #expect(reference.contains("`breaker front -> payments is open`") && reference.contains("`little's law holds at api`"))
        for s in Resilience.settings { #expect(reference.contains("`\(s.key)`"), "setting \(s.key)") }
        for role in Resilience.roles { #expect(reference.contains("`\(role)`"), "role \(role)") }
        for state in CircuitBreaker.State.allCases { #expect(reference.contains("`\(state.rawValue)`"), "state \(state)") }
    }

    @Test func sagasAndEventSourcingAreDocumented() throws {
        let reference = try String(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Lessons/README.md"), encoding: .utf8)
        for entry in CommandTable<Saga>.entries { #expect(reference.contains("`\(entry.name) ") || reference.contains("`\(entry.name)`"), "command \(entry.name)") }
        for q in Saga.queries {
            let written = q.scope == .node ? "`order.\(q.name)`" : "`\(q.name)`"
            #expect(reference.contains(written), "query \(q.name)")
        }
        for phrase in Saga.predicateForms { #expect(reference.contains("`\(phrase)`"), "phrase \(phrase)") }
        for s in Saga.settings { #expect(reference.contains("`\(s.key)`"), "setting \(s.key)") }
        for role in Saga.roles { #expect(reference.contains("`\(role)`"), "role \(role)") }
        for state in RowState.allCases { #expect(reference.contains("`\(state.rawValue)`"), "row state \(state)") }
        for a in SagaAction.allCases { #expect(reference.contains("`\(a.rawValue)`"), "action \(a)") }
        for entry in CommandTable<EventSourcing>.entries { #expect(reference.contains("`\(entry.name) ") || reference.contains("`\(entry.name)`"), "command \(entry.name)") }
        for q in EventSourcing.queries { #expect(reference.contains("`\(q.name)`"), "query \(q.name)") }
        for s in EventSourcing.settings { #expect(reference.contains("`\(s.key)`"), "setting \(s.key)") }
        #expect(reference.contains("`replay matches`"))
    }
}
