import Testing
@testable import Quiz
import Simulation

@Suite struct GeneratorTests {
    /// Each generated problem, recomputed here from its parameters without the generator's code.
    func direct(_ p: EstimateProblem) -> Double {
        let x = p.parameters
        switch p.kind {
        case .averageQPS: return x["users"]! * x["perUser"]! / (24 * 60 * 60)
        case .peakQPS: return x["users"]! * x["perUser"]! / (24 * 60 * 60) * x["peakFactor"]!
        case .storage: return x["writes"]! * x["size"]! * 365 * 24 * 3_600
        case .bandwidth: return x["qps"]! * x["size"]!
        case .cache: return x["reads"]! * x["size"]! * x["hot"]!
        }
    }

    @Test func workedSolutionsAgreeWithADirectComputation() {
        var rng = SplitMix64(seed: 99)
        for kind in EstimateProblem.Kind.allCases {
            for _ in 0..<300 {
                let p = EstimateProblem.make(kind, &rng)
                let d = direct(p)
                #expect(abs(p.exact - d) <= d * 1e-12, "\(kind) \(p.parameters)")
                // The head-rounded answer a person gets must itself score as right.
                #expect(Score(answer: p.mental, truth: p.exact).grade == .right, "\(kind): \(p.mental) vs \(p.exact)")
                // The working states the final figure it arrives at.
                let finalFigure = p.dimension == .bytes ? Format.bytes(p.mental)
                    : p.dimension == .bandwidth ? Format.bandwidth(p.mental) : Format.number(p.mental)
                #expect(p.steps.joined(separator: " ").contains(finalFigure), "\(kind): \(p.steps)")
                #expect(p.steps.count >= 3)
            }
        }
    }

    @Test func everyItemMakesAnAnswerableQuestionInBothEras() {
        for era in Era.allCases {
            var rng = SplitMix64(seed: 5)
            let items = QuestionBank.items(topics: Set(Question.Topic.allCases), era: era)
            #expect(items.count > 25)
            #expect(Set(items.map(\.key)).count == items.count)
            for item in items {
                let q = item.make(&rng)
                #expect(q.item == item.key)
                #expect(!q.explanation.isEmpty)
                if q.topic == .latency { #expect(q.prompt.joined().contains(era.rawValue), "\(q.item) does not say its era") }
                // The reference answer, typed back, is marked right.
                switch q.expected {
                case let .quantity(v, d):
                    let typed = "\(v)" + (d == .time ? " s" : d == .bandwidth ? " B/s" : d == .bytes ? " B" : "")
                    #expect((try? q.mark(typed).get().grade) == .right, "\(q.item): \(typed)")
                case .order(let s):
                    #expect((try? q.mark(s).get().grade) == .right)
                }
            }
        }
    }

    @Test func factsWithOneRightValueAreExactAndSizesNeedTheirUnit() {
        var rng = SplitMix64(seed: 1)
        let all = QuestionBank.items(topics: Set(Question.Topic.allCases), era: .y2020)
        let stamp = all.first { $0.key == "sizes:timestamp" }!.make(&rng)
        #expect((try? stamp.mark("8").get().grade) == .right)          // "how many bytes": the unit is in the question
        #expect((try? stamp.mark("4").get().grade) == .wrong)          // not "within 2×"
        #expect((try? stamp.mark("16 bytes").get().grade) == .wrong)
        let storage = all.first { $0.key == "estimate:storage" }!.make(&rng)
        guard case .failure(let bare) = storage.mark("100") else { Issue.record("a bare number taken as bytes"); return }
        #expect(bare.message.contains("add a unit"))
        guard case .failure(let negative) = storage.mark("-5 TB") else { Issue.record("a negative size accepted"); return }
        #expect(negative.message.contains("cannot be negative"))
        let convert = all.first { $0.key == "units:bytes" }!.make(&rng)
        guard case let .quantity(v, _) = convert.expected else { return }
        #expect((try? convert.mark(Format.number(v * 1.5)).get().grade) == .wrong)
    }

    /// "About how many times" is an estimate for every pair, also where the ratio is a small
    /// whole number (memory vs round trip in 2012 is 80x: 79 was "Wrong: 1 too few").
    @Test func comparisonsAreEstimatesJudgedWithinTwoTimes() {
        var rng = SplitMix64(seed: 1)
        for era in [Era.y2012, .y2020] {
            for item in QuestionBank.items(topics: [.latency], era: era) where item.key.hasPrefix("compare:") {
                let q = item.make(&rng)
                guard case let .quantity(v, _) = q.expected else { continue }
                #expect(q.rule == .factor(2), "\(item.key)")
                #expect((try? q.mark(Format.number((v * 1.3).rounded())).get().grade) == .right, "\(item.key)")
            }
        }
    }

    @Test func theEraExplanationSaysWhereTheListsDisagree() {
        var rng = SplitMix64(seed: 1)
        let ssd = QuestionBank.items(topics: [.latency], era: .y2012).first { $0.key == "latency:ssd1mb@2012" }!.make(&rng)
        #expect(ssd.explanation.joined().contains("SSD sequential read 1 MB: the 2020 list says 49 µs"))
        let rtt = QuestionBank.items(topics: [.latency], era: .y2020).first { $0.key == "latency:rtt@2020" }!.make(&rng)
        #expect(rtt.explanation.joined().contains("datacenter round trip: both lists agree (500 µs)"))
        #expect(QuestionBank.items(topics: [.latency], era: .y2020).allSatisfy { !$0.key.contains("send1k") })
    }

    @Test func orderQuestionsUseDistinctlySpacedFacts() {
        var rng = SplitMix64(seed: 3)
        for _ in 0..<200 {
            let q = QuestionBank.orderQuestion(.y2020, &rng, key: "o")
            guard case .order(let answer) = q.expected else { Issue.record("not an order"); return }
            #expect(answer.count == 5)
            #expect(Set(answer) == Set("abcde"))
        }
    }
}
