namespace Qwen.Extensions.AI.IntegrationTests;

/// <summary>Bounds every wait in the integration tests so nothing can hang CI.</summary>
internal static class TestTimeout
{
    public static readonly TimeSpan Duration = TimeSpan.FromSeconds(15);

    /// <summary>Gets a fresh token cancelled after <see cref="Duration"/>.</summary>
    public static CancellationToken Token => new CancellationTokenSource(Duration).Token;
}
