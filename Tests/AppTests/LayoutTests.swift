import Testing
@testable import App
import Canvas
import Lessons
@testable import Scenes
import Simulation

/// The layout policy: size classes, what a scene asks for, cards that grow, the dense grid.
@Suite struct LayoutTests {
    @Test func sizeClassesFollowTheScreen() {
        #expect(SizeClass(width: 64, height: 20) == .small)
        #expect(SizeClass(width: 80, height: 24) == .compact)
        #expect(SizeClass(width: 120, height: 34) == .regular)
        #expect(SizeClass(width: 200, height: 60) == .large)
        #expect(SizeClass(width: 200, height: 30) == .compact)   // wide but short is not large
    }

    @Test(arguments: [(80, 24), (100, 30), (120, 34), (160, 48), (230, 60)])
    func aQuestionNeverCoversTheSceneItAsksAbout(_ w: Int, _ h: Int) {
        var m = Fixtures.quizPlayer()
        m.update(.resize(width: w, height: h))
        m.update(.key(.right))
        let p = m.player!
        #expect(p.quiz != nil)
        let full = Rect(x: 0, y: 0, width: w, height: h)
        let parts = PlayerScreen.layout(full, needs: p.session.sceneNeeds(SizeClass(width: w, height: h)), sandbox: false)
        let area = PlayerScreen.questionArea(p, full).area
        #expect(!area.intersects(parts.cluster), "\(w)x\(h): \(area) covers \(parts.cluster)")
        // The scene is drawn whole: every card is still on screen with the question open.
        let text = m.view().text
        for n in 1...5 { #expect(text.contains("┌ n\(n) "), "\(w)x\(h): n\(n) hidden") }
        #expect(text.contains("Can five nodes"))
    }

    @Test func thePlayerIsLaidOutFromWhatTheSceneAsks() {
        let ring = SceneNeeds()
        // 80x24 as before: a 44-column scene, a 7-row log.
        let small = PlayerScreen.layout(Rect(x: 0, y: 0, width: 80, height: 24), needs: ring, sandbox: false)
        #expect(small.cluster.width == 44 && small.log?.height == 7)
        // On a big screen the narration keeps a readable measure and the scene takes the rest.
        let big = PlayerScreen.layout(Rect(x: 0, y: 0, width: 200, height: 60), needs: ring, sandbox: false)
        #expect(big.narration!.width == PlayerScreen.narrationMeasure && big.cluster.width == 200 - PlayerScreen.narrationMeasure)
        #expect(big.log?.height == 12)
        // A scene that gains nothing from the log does not get one.
        let grid = PlayerScreen.layout(Rect(x: 0, y: 0, width: 100, height: 30), needs: SceneNeeds(wantsEventLog: false), sandbox: false)
        #expect(grid.log == nil && grid.cluster.height == 28)
        // A scene that does not grow keeps its share.
        let fixed = PlayerScreen.layout(Rect(x: 0, y: 0, width: 200, height: 60), needs: SceneNeeds(grows: false), sandbox: false)
        #expect(fixed.cluster.width == 112)
        // A scene that needs more rows than the log leaves gets them: the log shrinks first,
        // to one line between its borders at least.
        let tall = PlayerScreen.layout(Rect(x: 0, y: 0, width: 80, height: 24), needs: SceneNeeds(minHeight: 15), sandbox: false)
        #expect(tall.cluster.height == 17 && tall.log?.height == 5)
        let taller = PlayerScreen.layout(Rect(x: 0, y: 0, width: 80, height: 24), needs: SceneNeeds(minHeight: 40), sandbox: false)
        #expect(taller.log?.height == 3)
    }

    @Test func ringCardsGrowWithTheRoomAndShowMore() {
        let big = Fixtures.player(step: 1, width: 160, height: 48).view().text
        #expect(big.contains("timeout in") && big.contains("voted n3") && big.contains("hb in"))
        let small = Fixtures.player(step: 1, width: 100, height: 30).view().text
        #expect(!small.contains("timeout in"))
    }

    @Test func aDenseGridPacksNodesAndAlwaysCountsThem() {
        // 1,000 nodes in 40x12: three to a cell, as braille; the counts say exactly how many of each.
        let palette = [GridState("quiet", glyph: "·", style: .dim), GridState("busy", glyph: "●", style: .bold)]
        let states = (0..<1_000).map { $0 % 4 == 0 ? 1 : 0 }
        #expect(DenseGrid.packing(count: 1_000, width: 40, height: 11) == .init(perCell: 3, columns: 40, pitch: 1))
        var canvas = Canvas(width: 40, height: 12)
        DenseGrid.draw(states: states, palette: palette, in: canvas.bounds, on: &canvas, glyphs: .unicode)
        let text = canvas.text
        #expect(text.contains("quiet 750") && text.contains("busy 250"))
        // Node 0 is busy, 1 and 2 quiet: the first cell has only its first dot.
        #expect(text.hasPrefix("\u{2801}"))
        var ascii = Canvas(width: 40, height: 12)
        DenseGrid.draw(states: states, palette: palette, in: ascii.bounds, on: &ascii, glyphs: .ascii)
        #expect(ascii.text.hasPrefix("1"))
        // A packed grid says what a cell's glyph counts, for the packing actually drawn (its own
        // row packs 1,000 nodes into 40x10: three to a cell still).
        #expect(text.contains("3 a cell, a dot: a node not quiet"))
        #expect(ascii.text.contains("3 a cell, digit: how many not quiet"))
        var few = Canvas(width: 40, height: 12)
        DenseGrid.draw(states: Array(states.prefix(30)), palette: palette, in: few.bounds, on: &few, glyphs: .unicode)
        #expect(!few.text.contains("a cell"))
        // Few nodes: one glyph each, spaced.
        #expect(DenseGrid.packing(count: 30, width: 40, height: 11).perCell == 1)
        #expect(DenseGrid.packing(count: 30, width: 40, height: 11).pitch == 2)
        // Shaded cells (more than eight to a cell): full only when every node in it is active,
        // so the last straggler of a spread still shows (it drew "█" among eight informed).
        var shaded = Canvas(width: 10, height: 4)
        var spread = Array(repeating: 1, count: 200)
        spread[5] = 0
        DenseGrid.draw(states: spread, palette: palette, in: shaded.bounds, on: &shaded, glyphs: .unicode)
        let cells = Array(shaded.text.split(separator: "\n")[0])
        #expect(cells.first == "▓" && cells.dropFirst().allSatisfy { $0 == "█" }, "\(shaded.text)")
    }

    @Test func aBigRaftClusterIsDrawnAsAGridWithoutTheLog() {
        let text = "---\ntitle: Big\npattern: raft\nnodes: 101\nseed: 1\n---\n\n## Go\n\n```sim\nrun until leader exists within 5s\ncrash n7\n```\n"
        guard case .success(let s) = Catalog.open(LessonDocument(file: "b.md", name: "b", text: text), atStep: 1, interactive: false) else {
            Issue.record("does not open"); return
        }
        let screen = AppModel(screen: .player(PlayerState(session: s)), width: 80, height: 24, glyphs: .ascii).view().text
        assertSnapshot("raft-101-grid-ascii-80x24", screen)
        #expect(screen.contains("leader 1") && screen.contains("crashed 1") && !screen.contains("Events"))
    }

    @Test func colourPairsCoverBackgroundsWhenTheTerminalHasEnough() {
        let both = Style(foreground: .red, background: .blue)
        #expect(ColorPairs.number(for: both, available: 256) == Int16(1 * 9 + 4 + 1))
        #expect(ColorPairs.number(for: both, available: 64) == 2)          // background dropped, red kept
        #expect(ColorPairs.number(for: .plain, available: 64) == 0)
        #expect(ColorPairs.definitions(available: 256).count == 81)
        #expect(Set(ColorPairs.definitions(available: 256).map(\.0)).count == 81)
    }
}
