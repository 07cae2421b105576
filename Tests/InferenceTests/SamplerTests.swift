// The sampler's filters against hand-computed reference values.
import Inference
import XCTest

final class SamplerTests: XCTestCase {
    private func dist(_ logits: [Float], _ p: SamplingParameters) -> [TokenProbability] {
        var sampler = Sampler(parameters: p)
        var l = logits
        return l.withUnsafeMutableBufferPointer { sampler.distribution($0.baseAddress!, count: $0.count) }
    }

    func testGreedyPicksTheLargestLogitAndTheLowestIdOnTies() {
        var s = Sampler(parameters: .greedy)
        var l: [Float] = [0.5, 2, 1, 2]
        XCTAssertEqual(l.withUnsafeMutableBufferPointer { s.sample($0.baseAddress!, count: 4) }, 1)
    }

    func testGreedyFindsTheFirstMaximumAnywhereInAVocabularySizedRow() {
        // The vectorised scan works 16 lanes at a time: put the maximum in the scalar tail, in a middle lane, and
        // twice (the lower id must win), with NaNs that must never win.
        for (count, at, twin) in [(49_152, 49_151, nil), (1_003, 1_001, nil), (4_096, 37, 2_000), (35, 18, 34)] as [(Int, Int, Int?)] {
            var l = (0..<count).map { Float(($0 * 7919) % 1_000) / 1_000 }
            l[count / 3] = .nan
            l[at] = 5
            if let twin { l[twin] = 5 }
            var s = Sampler(parameters: .greedy)
            let t = l.withUnsafeMutableBufferPointer { s.sample($0.baseAddress!, count: count) }
            XCTAssertEqual(t, TokenID(at), "count \(count)")
        }
    }

    func testGreedyIgnoresNaNsAndReturnsZeroWhenNothingBeatsMinusInfinity() {
        var s = Sampler(parameters: .greedy)
        var l = [Float](repeating: -.infinity, count: 40)
        l[3] = .nan
        XCTAssertEqual(l.withUnsafeMutableBufferPointer { s.sample($0.baseAddress!, count: 40) }, 0)
        l[39] = -1e30
        XCTAssertEqual(l.withUnsafeMutableBufferPointer { s.sample($0.baseAddress!, count: 40) }, 39)
    }

    func testTopKKeepsTheKMostLikely() {
        let d = dist([1, 4, 3, 2], SamplingParameters(temperature: 1, topK: 2, topP: 1, minP: 0, seed: 1))
        XCTAssertEqual(d.map(\.token), [1, 2])
        // softmax over {4, 3}: e^1 / (e^1 + 1)
        XCTAssertEqual(d[0].probability, 0.7310586, accuracy: 1e-6)
    }

    func testTopPKeepsTheSmallestSetReachingP() {
        // probabilities of logits [ln 0.5, ln 0.3, ln 0.2] are 0.5, 0.3, 0.2
        let logits: [Float] = [logf(0.5), logf(0.3), logf(0.2)]
        let d = dist(logits, SamplingParameters(temperature: 1, topK: 0, topP: 0.75, minP: 0, seed: 1))
        XCTAssertEqual(d.map(\.token), [0, 1])
        XCTAssertEqual(d[0].probability, 0.625, accuracy: 1e-6)
    }

    func testMinPDropsTokensBelowTheFractionOfTheTopOne() {
        let logits: [Float] = [logf(0.6), logf(0.3), logf(0.1)]
        let d = dist(logits, SamplingParameters(temperature: 1, topK: 0, topP: 1, minP: 0.2, seed: 1))
        XCTAssertEqual(d.map(\.token), [0, 1], "0.1 < 0.2 × 0.6")
    }

    func testTemperatureSharpensTheDistribution() {
        let logits: [Float] = [2, 1]
        let d = dist(logits, SamplingParameters(temperature: 0.5, topK: 0, topP: 1, minP: 0, seed: 1))
        // softmax([4, 2]) = 1 / (1 + e^-2)
        XCTAssertEqual(d[0].probability, 0.8807971, accuracy: 1e-6)
    }

    func testRepetitionPenaltyDividesPositiveAndMultipliesNegativeLogits() {
        var s = Sampler(parameters: SamplingParameters(temperature: 0, repetitionPenalty: 2))
        s.accept(0)
        s.accept(1)
        var l: [Float] = [3, -1, 2.5]
        let token = l.withUnsafeMutableBufferPointer { s.sample($0.baseAddress!, count: 3) }
        XCTAssertEqual(token, 2, "3/2 = 1.5 < 2.5")
        XCTAssertEqual(l, [1.5, -2, 2.5])
    }

    func testDrawsFollowTheDistribution() {
        var s = Sampler(parameters: SamplingParameters(temperature: 1, topK: 0, topP: 1, minP: 0, seed: 123))
        let d = [TokenProbability(token: 0, probability: 0.2), TokenProbability(token: 1, probability: 0.8)]
        var ones = 0
        for _ in 0..<20000 where s.draw(from: d) == 1 { ones += 1 }
        XCTAssertEqual(Double(ones) / 20000, 0.8, accuracy: 0.015)
    }

    func testInvalidParametersNameTheFlag() {
        XCTAssertThrowsError(try SamplingParameters(topP: 1.5).validate()) { e in
            XCTAssertEqual("\(e)", "top-p = 1.5 is invalid: expected a number in (0, 1]")
        }
    }
}
