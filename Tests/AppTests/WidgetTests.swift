import Testing
import Canvas
import Simulation
import Lessons
@testable import App
@testable import Patterns
@testable import Scenes

@Suite struct WidgetTests {
    func plain(_ lines: [StyledLine]) -> [String] { lines.map { $0.map(\.text).joined() } }

    @Test func inlineMarkdown() {
        let spans = Markdown.inline("a **bold** and *it* and `code` and 2 * 3")
        #expect(spans.map(\.text) == ["a ", "bold", " and ", "it", " and ", "code", " and 2 * 3"])
        #expect(spans[1].style.bold)
        #expect(spans[3].style.italic)
        #expect(spans[5].style.foreground == .cyan)
    }

    @Test func blocks() {
        let out = plain(Markdown.render(["# Title", "", "one two", "three", "", "- item one", "- item two", "", "```", "code  here", "```"], width: 20, glyphs: .unicode))
        #expect(out == ["Title", "", "one two three", "", "• item one", "• item two", "", "  code  here"])
    }

    /// A bullet written over two lines of the file is one item, its second line hung under the
    /// first (it used to start a paragraph of its own at the margin).
    @Test func aBulletGoesOnOverIndentedLines() {
        let out = plain(Markdown.render(["- opens when the rate", "  reaches its threshold.", "After."], width: 20, glyphs: .unicode))
        #expect(out == ["• opens when the", "  rate reaches its", "  threshold.", "After."])
    }

    @Test func threeFiguresRoundsAcrossDecades() {
        #expect([384.4, 99.96, 38.44, 9.996, 3.844, 0.9996, 0.1449, 0, -2.5].map(threeFigures)
                == ["384", "100", "38.4", "10.0", "3.84", "1.00", "0.145", "0.000", "-2.50"])
        #expect(threeFigures(.infinity) == "-")
    }

    @Test func wrapBreaksAtWordsAndHangsIndents() {
        #expect(plain(wrap([Span("the quick brown fox jumps")], width: 10)) == ["the quick", "brown fox", "jumps"])
        #expect(plain(wrap([Span("• alpha beta gamma")], width: 10, indent: 2)) == ["• alpha", "  beta", "  gamma"])
        #expect(plain(wrap([Span("abcdefghijkl")], width: 5)) == ["abcde", "fghij", "kl"])
    }

    @Test func wideCharactersTakeTwoCells() {
        var c = Canvas(width: 6, height: 1)
        c.text("日本x", x: 0, y: 0)
        #expect(c.lines == ["日本x"])
        #expect(c[1, 0].isContinuation)
        c.put("a", x: 1, y: 0)   // overwriting half a wide character blanks the rest of it
        #expect(c.lines == [" a本x"])
        #expect(truncate("日本語です", to: 5) == "日本…")
    }

    @Test func onlyChangedRowsAndColumnsAreReported() {
        var a = Canvas(width: 10, height: 3)
        a.text("hello", x: 0, y: 1)
        var b = a
        b.text("J", x: 3, y: 1)
        let changes = b.changes(since: a)
        #expect(changes.count == 1)
        #expect(changes[0].y == 1 && changes[0].from == 3 && changes[0].to == 3)
        #expect(b.changes(since: b).isEmpty)
        #expect(b.changes(since: nil).count == 3)
    }

    @Test func ringPlacesNodesWithoutOverlap() {
        for count in [1, 3, 5, 7, 9, 15] {
            let r = Rect(x: 0, y: 0, width: 42, height: 13)
            let layout = RingView.layout(count: count, in: r, detailLines: 2)
            let size = layout.card, centres = layout.centres
            for i in 0..<count {
                for j in i + 1..<count {
                    let dx = abs(centres[i].x - centres[j].x), dy = abs(centres[i].y - centres[j].y)
                    #expect(dx >= size.w || dy >= size.h, "\(count) nodes: n\(i + 1) overlaps n\(j + 1)")
                }
            }
        }
    }
}

@Suite struct NetworkSummaryTests {
    @Test func describesPartitionsIsolationAndLinkFaults() {
        var n = Network()
        n.partition([[0, 1], [3, 4]], oneWay: false, size: 5)     // n3 stays connected to both sides
        #expect(NetworkSummary.lines(n, size: 5, glyphs: .unicode) == ["partitioned: n1 n2 | n4 n5"])
        n.heal()
        n.isolate(2, size: 5)
        #expect(NetworkSummary.lines(n, size: 5, glyphs: .unicode) == ["partitioned: n1 n2 n4 n5 | n3"])
        n.isolate(4, size: 5)
        #expect(NetworkSummary.lines(n, size: 5, glyphs: .unicode) == ["partitioned: n1 n2 n4 | n3 | n5"])
        n.heal()
        n.partition([[0, 1], [2, 3, 4]], oneWay: true, size: 5)
        #expect(NetworkSummary.lines(n, size: 5, glyphs: .ascii) == ["one-way cut: n1 n2 -> n3 n4 n5"])
        n.heal()
        n.cut(Link(0, 1))
        n.update(Link(3, 4)) { $0.lossPPM = 500_000; $0.extraDelay = 80_000 }
        #expect(NetworkSummary.lines(n, size: 5, glyphs: .ascii) == ["one-way cut: n1->n2", "n4->n5 drop 50% +80ms"])
        n.heal()
        #expect(NetworkSummary.lines(n, size: 5, glyphs: .unicode).isEmpty)
    }

    @Test func namedNodesAreSummarisedByName() throws {
        let t = try Topology.named([("client", "c"), ("front", "s"), ("payments", "s"), ("ledger", "s")]).get()
        var n = Network()
        n.partition([[0, 1], [2, 3]], oneWay: false, size: 4)
        n.cut(Link(1, 2))
        #expect(NetworkSummary.lines(n, topology: t, glyphs: .ascii) == ["partitioned: client front | payments ledger", "one-way cut: front->payments"])
    }

    @Test func aThousandNodePartitionIsSummarisedAsRanges() {
        var n = Network()
        n.partition([Array(0..<500), Array(500..<1000)], oneWay: false, size: 1_000)
        #expect(NetworkSummary.lines(n, size: 1_000, glyphs: .unicode) == ["partitioned: n1..n500 | n501..n1000"])
        #expect(n.isCut(Link(3, 700)) && n.isCut(Link(700, 3)) && !n.isCut(Link(3, 400)))
    }
}

/// Small Raft cards keep what the legend explains: a candidate's votes survive a two-digit term,
/// and a crashed card never shows a bare "t1 1".
@Suite struct RaftSmallCardTests {
    @Test func aCandidateKeepsItsVotesAndACrashedCardReadsPlainly() {
        var config = RaftConfig()
        config.electionTimeout = 10_000...10_000
        // Equal timeouts split every vote: terms climb while everyone stays a candidate.
        var c = Cluster<RaftNode>(size: 3, config: config, seed: 1)
        _ = c.run(until: { $0.nodes[0].currentTerm >= 12 && $0.nodes[0].role == .candidate }, within: 5_000_000)
        #expect(c.nodes[0].currentTerm >= 12)
        let card = Raft.card(for: 0, in: c, glyphs: .unicode)
        let votes = "v:\(c.nodes[0].votes.count)"
        for width in 7...20 where displayWidth("t\(c.nodes[0].currentTerm) " + votes) <= width {
            #expect(card.short(fitting: width).contains(votes), "width \(width): \(card.short(fitting: width))")
        }
        c.crash(1)
        let crashed = Raft.card(for: 1, in: c, glyphs: .unicode)
        for width in 2...20 {
            let s = crashed.short(fitting: width)
            #expect(s.contains("log") || !s.contains(" "), "width \(width): '\(s)'")
        }
    }
}


/// A selected gossip node's contacts of its last round are pointed out on the grid (underlined,
/// so monochrome shows them), one cell each while every node has a cell of its own.
@Suite struct GossipGridContactTests {
    @Test func theSelectedNodesContactsAreUnderlined() {
        var c = Cluster<GossipNode>(size: 200, config: { var k = GossipConfig(); k.fanout = 3; return k }(), seed: 2, journal: Journal(.off))
        _ = Gossip.perform(.write(0, key: "x", value: "1", rumor: true), on: &c)
        c.advance(to: 1_000_000)
        let contacts = c.nodes[0].lastContacts
        #expect(contacts.count == 3)
        var canvas = Canvas(width: 120, height: 40)
        Gossip.draw(c, NoViewState(), in: canvas.bounds, on: &canvas, SceneContext(glyphs: .unicode, selected: 0))
        var underlined = 0
        for y in 0..<40 { for x in 0..<120 where canvas[x, y].style.underline { underlined += 1 } }
        #expect(underlined == contacts.count)
    }
}

/// `l` shows the event log even where the scene asked for none (a grid of 1,000 gossip nodes).
@Suite struct LogKeyOnAGridTests {
    @Test func theLogKeyShowsALogBesideAGrid() {
        let text = BuiltinLessons.all.first { $0.name == "gossip-push" }!.text
        var m = Fixtures.player(lesson: text, step: 1)
        #expect(!m.view().text.contains("Events"))
        m.update(.key(.char("l")))
        let screen = m.view().text
        #expect(screen.contains("Events: every line"), "\(screen)")
        #expect(screen.contains("push x=1@v1"))
    }
}

/// A membership view too short for every peer still shows the ones in trouble.
@Suite struct MembershipOverflowTests {
    @Test func aCrashedMemberIsNeverHiddenBelowTheFold() {
        var c = Cluster<MembershipNode>(size: 30, config: MembershipConfig(), seed: 1, journal: Journal(.off))
        c.advance(to: 3_000_000)
        c.crash(24)
        var canvas = Canvas(width: 78, height: 12)
        Membership.draw(c, NoViewState(), in: canvas.bounds, on: &canvas, SceneContext(glyphs: .unicode))
        let text = canvas.lines.joined(separator: "\n")
        #expect(text.contains("n25"), "\(text)")
        #expect(text.contains("more, all alive and up"))
    }

    /// The countdown to "dead" and a large φ are whole in the narrowest scene box (the one an
    /// 80x24 player gives): "i0 dead in 2…" and "φ181.…" hid the figures the lessons point at.
    @Test func aSuspectsCountdownAndALargePhiAreWhole() {
        var c = Cluster<MembershipNode>(size: 8, config: MembershipConfig(), seed: 2, journal: Journal(.off))
        c.advance(to: 10_000_000)
        c.crash(3)
        #expect(c.run(until: { $0.nodes[0].suspects(3) }, within: 20_000_000) == .met)
        for width in [49, 78] {
            var canvas = Canvas(width: width, height: 12)
            Membership.draw(c, NoViewState(), in: canvas.bounds, on: &canvas, SceneContext(glyphs: .ascii))
            let row = canvas.lines.first { $0.contains("suspect") && $0.hasPrefix("n4") } ?? ""
            #expect(row.range(of: #"i0 dead (in )?\d+\.\ds"#, options: .regularExpression) != nil, "\(width): \(row)")
        }
        // φ's label has six cells, "!" past the threshold included.
        for (phi, label) in [(7.14, "7.1"), (12.0, "12"), (99.95, "99.9"), (181.44, "181"), (5_000.0, "1000")] {
            #expect(Membership.tenths(phi) == label && label.count + 2 <= 6)
        }
    }
}
