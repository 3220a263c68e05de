namespace Qwen.Extensions.AI.TestUtilities;

/// <summary>A test against the real service: runs only when DASHSCOPE_API_KEY is set (QWEN_ENDPOINT and QWEN_MODEL optional).</summary>
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
