namespace Qwen.Extensions.AI.IntegrationTests.Conformance;

/// <summary>A fact that runs only against DashScope: skipped cleanly when DASHSCOPE_API_KEY is absent.</summary>
public sealed class LiveFactAttribute : FactAttribute
{
    public LiveFactAttribute()
    {
        if (string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("DASHSCOPE_API_KEY")))
        {
            Skip = "Live test: set DASHSCOPE_API_KEY to run it against DashScope.";
        }
    }
}
