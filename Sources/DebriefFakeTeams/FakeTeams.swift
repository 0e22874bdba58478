/// The loopback Microsoft side for tests, the demo and the benchmarks (filled in by the Teams work).
public enum FakeTeams {}
