namespace WinterAI.Tests.Testing;

/// <summary>What lets the bench use WinterAI.Testing and keeps its protocol code an independent check.</summary>
public sealed class WinterAITestingTests
{
    private static IEnumerable<string> References() =>
        typeof(FakeWeChat).Assembly.GetReferencedAssemblies().Select(a => a.Name ?? "");

    [Test]
    public void TheSharedTestSupportNeedsNoTestFramework() =>
        References().ShouldNotContain(name => name.StartsWith("nunit", StringComparison.OrdinalIgnoreCase)
                                              || name.StartsWith("Shouldly", StringComparison.OrdinalIgnoreCase));

    [Test]
    public void TheSharedTestSupportSharesNoCodeWithWinterAI() =>
        References().ShouldNotContain(name => name.StartsWith("WinterAI.", StringComparison.Ordinal));
}
