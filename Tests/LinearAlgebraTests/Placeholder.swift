import Testing
@testable import LinearAlgebra

@Test func linearAlgebraModuleLoads() {
    #expect(Bool(true))
}
