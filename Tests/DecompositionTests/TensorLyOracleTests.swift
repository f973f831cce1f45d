import Decomposition
import Foundation
import LinearAlgebra
import Testing
import TestSupport

/// The same tensors through TensorLy 0.10 (NumPy backend): Tucker, TT-SVD and
/// TR-SVD must reach TensorLy's relative error within 1e-4, and CP-ALS at the
/// same rank, initialisation and iteration count no more than 1e-3 above it.
@Suite(.enabled(if: TestEnvironment.pythonHasModules(["numpy", "tensorly"]), "needs FACTORIZE_PYTHON with numpy and tensorly"))
struct TensorLyOracleTests {
    static let script = """
        import json, sys
        import numpy as np
        import tensorly as tl
        from tensorly.decomposition import parafac, tucker, tensor_train, tensor_ring, tensor_train_matrix, partial_tucker
        tl.set_backend("numpy")
        x = np.load(sys.argv[1])
        method, ranks = sys.argv[2], json.loads(sys.argv[3])
        if method == "hosvd":
            rec = tl.tucker_to_tensor(tucker(x, rank=ranks, n_iter_max=0, init="svd"))
        elif method == "hooi":
            rec = tl.tucker_to_tensor(tucker(x, rank=ranks, n_iter_max=100, tol=1e-4, init="svd"))
        elif method == "tt":
            rec = tl.tt_to_tensor(tensor_train(x, rank=ranks))
        elif method == "tr":
            rec = tl.tr_to_tensor(tensor_ring(x, rank=ranks))
        elif method == "ttm":
            tt = tensor_train_matrix(x.reshape(4, 3, 5, 2, 3, 2), rank=ranks)
            rec = tl.tt_matrix_to_tensor(tt).reshape(x.shape)
        elif method == "partial":
            (core, factors), _ = partial_tucker(x, rank=ranks, modes=[0, 1], n_iter_max=100, tol=1e-4, init="svd")
            rec = tl.tenalg.multi_mode_dot(core, factors, modes=[0, 1])
        elif method == "cp":
            rec = tl.cp_to_tensor(parafac(x, rank=ranks[0], n_iter_max=ranks[1], init="svd", tol=0))
        print(json.dumps(float(np.linalg.norm(x - rec) / np.linalg.norm(x))))
        """

    /// Relative error TensorLy reaches on `x` with `method` and `ranks`.
    static func tensorLyError(_ x: Tensor<Double>, method: String, ranks: [Int]) throws -> Double {
        let folder = try TestEnvironment.makeTemporaryDirectory("decomposition-oracle")
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("x.npy")
        try writeNumpy(x, to: file)
        let rankText = "[" + ranks.map(String.init).joined(separator: ",") + "]"
        let output = try TestEnvironment.runPython(["-c", script, file.path, method, rankText])
        let text = String(decoding: output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return try #require(Double(text), "TensorLy printed \(text)")
    }

    let tensor = Synthetic.decaying([12, 10, 8, 6], seed: 21)

    @Test func hosvdErrorMatchesTensorLy() throws {
        let ranks = [5, 4, 3, 3]
        let ours = try tucker(tensor, ranks: ranks, algorithm: .hosvd).relativeError(to: tensor)
        let theirs = try Self.tensorLyError(tensor, method: "hosvd", ranks: ranks)
        #expect(abs(ours - theirs) < 1e-4, "ours \(ours), TensorLy \(theirs)")
    }

    @Test func hooiErrorMatchesTensorLy() throws {
        let ranks = [5, 4, 3, 3]
        let ours = try tucker(tensor, ranks: ranks, algorithm: .hooi(maxIterations: 100, tolerance: 1e-4))
            .relativeError(to: tensor)
        let theirs = try Self.tensorLyError(tensor, method: "hooi", ranks: ranks)
        #expect(abs(ours - theirs) < 1e-4, "ours \(ours), TensorLy \(theirs)")
    }

    @Test func ttSVDErrorMatchesTensorLy() throws {
        let ours = try tensorTrain(tensor, maxRanks: [3, 5, 4]).relativeError(to: tensor)
        let theirs = try Self.tensorLyError(tensor, method: "tt", ranks: [1, 3, 5, 4, 1])
        #expect(abs(ours - theirs) < 1e-4, "ours \(ours), TensorLy \(theirs)")
    }

    @Test func trSVDErrorMatchesTensorLy() throws {
        let ours = try tensorRing(tensor, ranks: [2, 3, 4, 3]).relativeError(to: tensor)
        let theirs = try Self.tensorLyError(tensor, method: "tr", ranks: [2, 3, 4, 3, 2])
        #expect(abs(ours - theirs) < 1e-4, "ours \(ours), TensorLy \(theirs)")
    }

    @Test func ttMatrixErrorMatchesTensorLy() throws {
        let matrix = Synthetic.decaying([60, 12], seed: 22)
        let ours = try ttMatrix(matrix, outputShape: [4, 3, 5], inputShape: [2, 3, 2], maxRanks: [4, 5])
            .relativeError(to: matrix)
        let theirs = try Self.tensorLyError(matrix, method: "ttm", ranks: [1, 4, 5, 1])
        #expect(abs(ours - theirs) < 1e-4, "ours \(ours), TensorLy \(theirs)")
    }

    @Test func partialTuckerErrorMatchesTensorLy() throws {
        let kernel = Synthetic.decaying([16, 12, 3, 3], seed: 23)
        let ours = try partialTucker(kernel, modes: [0, 1], ranks: [6, 5], algorithm: .hooi(maxIterations: 100, tolerance: 1e-4))
            .relativeError(to: kernel)
        let theirs = try Self.tensorLyError(kernel, method: "partial", ranks: [6, 5])
        #expect(abs(ours - theirs) < 1e-4, "ours \(ours), TensorLy \(theirs)")
    }

    @Test func cpALSErrorNoWorseThanTensorLy() throws {
        let ours = try cpALS(tensor, rank: 5, options: CPOptions(initialization: .svd, maxIterations: 50, tolerance: 0))
            .relativeError(to: tensor)
        let theirs = try Self.tensorLyError(tensor, method: "cp", ranks: [5, 50])
        #expect(ours <= theirs + 1e-3, "ours \(ours), TensorLy \(theirs)")
    }
}
