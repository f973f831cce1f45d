// Times Factorize's decompositions on the tensors listed by make_tensors.py and
// prints one JSON object per (tensor, method) on standard output.
//
// Usage: decomposition-bench MANIFEST [--fraction F] [--cp-iterations N] [--only SUBSTRING]
import CLinearAlgebra
import Decomposition
import Foundation
import LinearAlgebra

struct Arguments {
    var manifest = ""
    var fraction = 0.25
    var cpIterations = 20
    var only: String?

    init() {
        var items = Array(CommandLine.arguments.dropFirst())
        while !items.isEmpty {
            let item = items.removeFirst()
            switch item {
            case "--fraction": fraction = Double(items.removeFirst())!
            case "--cp-iterations": cpIterations = Int(items.removeFirst())!
            case "--only": only = items.removeFirst()
            default: manifest = item
            }
        }
    }
}

/// Reads a little-endian float32 `.npy` file in C order.
func readNumpy(_ path: String) throws -> Tensor<Float> {
    let data = try Data(contentsOf: URL(fileURLWithPath: path))
    let headerLength = Int(data[8]) | Int(data[9]) << 8
    let header = String(decoding: data[10..<(10 + headerLength)], as: UTF8.self)
    guard header.contains("'<f4'"), header.contains("'fortran_order': False") else {
        throw NSError(domain: "bench", code: 1, userInfo: [NSLocalizedDescriptionKey: "\(path): need C-order <f4, got \(header)"])
    }
    let shapeText = header.components(separatedBy: "'shape': (")[1].components(separatedBy: ")")[0]
    let shape = shapeText.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
    let count = shape.reduce(1, *)
    var scalars = [Float](repeating: 0, count: count)
    _ = scalars.withUnsafeMutableBytes { data[(10 + headerLength)...].copyBytes(to: $0) }
    return Tensor(shape: shape, scalars: scalars)
}

/// CPU seconds of this process spent in `body`. The runs are single-threaded, so
/// CPU time equals wall time on an idle machine and stays stable on a busy one.
/// Runs shorter than 0.1 s are repeated (up to 20 runs in 0.5 s) and the minimum is
/// returned, as the TensorLy side does.
func seconds(_ body: () throws -> Void) rethrows -> Double {
    func now() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }
    var best = Double.infinity
    var spent = 0.0
    for _ in 0..<20 {
        let start = now()
        try body()
        let elapsed = now() - start
        best = min(best, elapsed)
        spent += elapsed
        if best >= 0.1 || spent >= 0.5 { break }
    }
    return best
}

func emit(_ fields: [String: Any]) {
    let data = try! JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys])
    print(String(decoding: data, as: UTF8.self))
    fflush(stdout)
}

func runConvolution(_ name: String, _ x: Tensor<Float>, _ arguments: Arguments) throws {
    let total = x.count
    let fraction = arguments.fraction

    let cpRank = RankSelection.cpRank(parameterFraction: fraction, shape: x.shape)
    var cp: CPTensor<Float>!
    let cpTime = try seconds {
        cp = try cpALS(x, rank: cpRank, options: CPOptions(initialization: .svd, maxIterations: arguments.cpIterations, tolerance: 0))
    }
    emit(["name": name, "method": "cp", "ranks": [cp.rank], "iterations": cp.iterations, "parameters": cp.parameterCount,
          "total": total, "seconds": cpTime, "error": cp.relativeError(to: x)])

    let tuckerRanks = RankSelection.tuckerRanks(parameterFraction: fraction, shape: x.shape, modes: [0, 1])
    var tk: TuckerTensor<Float>!
    let tuckerTime = try seconds {
        tk = try partialTucker(x, modes: [0, 1], ranks: tuckerRanks, algorithm: .hooi(maxIterations: 100, tolerance: 1e-4))
    }
    emit(["name": name, "method": "tucker2", "ranks": tk.ranks, "iterations": tk.errorHistory.count - 1,
          "parameters": tk.parameterCount, "total": total, "seconds": tuckerTime, "error": tk.relativeError(to: x)])

    let ttRank = RankSelection.ttMaxRank(parameterFraction: fraction, shape: x.shape)
    var tt: TTTensor<Float>!
    let ttTime = try seconds { tt = try tensorTrain(x, maxRank: ttRank) }
    emit(["name": name, "method": "tt", "ranks": tt.ranks, "parameters": tt.parameterCount, "total": total,
          "seconds": ttTime, "error": tt.relativeError(to: x)])

    let trRank = RankSelection.trRank(parameterFraction: fraction, shape: x.shape)
    var tr: TRTensor<Float>!
    let trTime = try seconds { tr = try tensorRing(x, ranks: Array(repeating: trRank, count: x.rank)) }
    emit(["name": name, "method": "tr", "ranks": tr.ranks, "parameters": tr.parameterCount, "total": total,
          "seconds": trTime, "error": tr.relativeError(to: x)])
}

func runMatrix(_ name: String, _ w: Tensor<Float>, _ arguments: Arguments) throws {
    let (rows, columns) = (w.shape[0], w.shape[1])
    let total = w.count
    let rank = RankSelection.matrixRank(parameterFraction: arguments.fraction, rows: rows, columns: columns)
    // The VGG classifier is also timed at the rank 512 that SVD compression papers use.
    let ranks = rows == 4096 && columns == 25088 ? [rank, 512] : [rank]
    for r in ranks {
        var d: SingularValueDecomposition<Float>!
        let time = try seconds { d = try truncatedSVD(w, rank: r) }
        var scaled = d.u
        for i in 0..<rows { for j in 0..<d.rank { scaled.scalars[i * d.rank + j] *= d.singularValues[j] } }
        let error = matmul(scaled, d.vt).distance(to: w) / w.frobeniusNorm
        emit(["name": name, "method": "svd", "ranks": [d.rank], "parameters": d.rank * (rows + columns), "total": total,
              "seconds": time, "error": error])
    }

    let parts = 4
    let outputShape = balancedFactorization(rows, parts: parts)
    let inputShape = balancedFactorization(columns, parts: parts)
    let ttRank = RankSelection.ttMatrixMaxRank(parameterFraction: arguments.fraction, outputShape: outputShape, inputShape: inputShape)
    var tm: TTMatrix<Float>!
    let time = try seconds {
        tm = try ttMatrix(w, outputShape: outputShape, inputShape: inputShape, maxRanks: Array(repeating: ttRank, count: parts - 1))
    }
    emit(["name": name, "method": "ttm", "ranks": tm.ranks, "outputShape": outputShape, "inputShape": inputShape,
          "parameters": tm.parameterCount, "total": total, "seconds": time, "error": tm.relativeError(to: w)])
}

@main
struct DecompositionBench {
    static func main() throws {
        openblas_set_num_threads(1)
        let arguments = Arguments()
        let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: arguments.manifest))) as! [[String: Any]]
        for entry in manifest {
            let name = entry["name"] as! String
            if let only = arguments.only, !name.contains(only) { continue }
            let x = try readNumpy(entry["file"] as! String)
            if x.rank == 4 { try runConvolution(name, x, arguments) } else { try runMatrix(name, x, arguments) }
        }
    }
}
