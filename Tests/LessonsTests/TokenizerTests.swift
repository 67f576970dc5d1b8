import Testing
import Patterns

@Suite struct TokenizerTests {
    func words(_ s: String) -> [String] {
        guard case .success(let t) = tokenize(s) else { return ["<error>"] }
        return t.map(\.text)
    }

    @Test func splitsOperatorsButKeepsValuesWhole() {
        #expect(words("drop n1 -> n2 50%") == ["drop", "n1", "->", "n2", "50%"])
        #expect(words("delay n4 <-> n5 80ms") == ["delay", "n4", "<->", "n5", "80ms"])
        #expect(words("expect term==1") == ["expect", "term", "==", "1"])
        #expect(words("skew n2 -200ms") == ["skew", "n2", "-200ms"])
        #expect(words("request x=1 to n2") == ["request", "x=1", "to", "n2"])
        #expect(words("partition n1 n2|n3") == ["partition", "n1", "n2", "|", "n3"])
        #expect(words("expect n1.log >= 2 # done") == ["expect", "n1.log", ">=", "2"])
    }

    @Test func columnsAreOneBased() {
        guard case .success(let t) = tokenize("  crash n3") else { Issue.record("no tokens"); return }
        #expect(t.map(\.column) == [3, 9])
    }

    @Test func durationsAndRanges() throws {
        #expect(try Words.parseDuration("1.5s").get() == 1_500_000)
        #expect(try Words.parseDuration("250us").get() == 250)
        #expect(try Words.parseDuration("-200ms").get() == -200_000)
        #expect(try Words.parseRange("150-300ms").get() == 150_000...300_000)
        #expect(try Words.parseRange("1s-2s").get() == 1_000_000...2_000_000)
        #expect((try? Words.parseDuration("12").get()) == nil)
        #expect((try? Words.parseDuration("ms").get()) == nil)
    }
}
