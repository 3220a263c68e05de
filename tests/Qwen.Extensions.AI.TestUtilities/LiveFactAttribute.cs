namespace Qwen.Extensions.AI.TestUtilities;

/// <summary>A test against the real service: runs only when DASHSCOPE_API_KEY is set (DASHSCOPE_ENDPOINT and DASHSCOPE_CHAT_MODEL optional, as in the conformance target).</summary>
public sealed class LiveFactAttribute : FactAttribute
{
    public LiveFactAttribute()
    {
        if (string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("DASHSCOPE_API_KEY")))
        {
            Skip = "Live test: set DASHSCOPE_API_KEY to run it.";
        }

        Timeout = 120_000;
    }
}
