using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Qwen.Extensions.AI.DependencyInjection.Tests;

/// <summary>Model facts from configuration: <c>Qwen:ModelCapabilities:&lt;model id or pattern&gt; = "ReasoningTiers, JsonSchema"</c>.</summary>
public sealed class ModelCapabilitiesConfigurationTests
{
    private static QwenClientOptions Bind(Dictionary<string, string?> settings)
    {
        settings["Qwen:ApiKey"] = "sk-test";
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddQwenChatClient(configuration.GetSection("Qwen"));
        using var provider = services.BuildServiceProvider();
        _ = provider.GetRequiredService<IChatClient>();
        return provider.GetRequiredService<IOptionsMonitor<QwenClientOptions>>().Get(QwenChatClientServiceCollectionExtensions.DefaultHttpClientName);
    }

    private static InvalidOperationException BindFails(string key, string value)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Qwen:ApiKey"] = "sk-test", [key] = value }).Build();
        var services = new ServiceCollection();
        services.AddQwenChatClient(configuration.GetSection("Qwen"));
        using var provider = services.BuildServiceProvider();
        return Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<IChatClient>());
    }

    [Fact]
    public void ModelCapabilitiesBindAsFlagsByModelIdOrPattern()
    {
        var options = Bind(new()
        {
            ["Qwen:ModelCapabilities:qwen3.9-max"] = "ReasoningTiers, JsonSchema",
            ["Qwen:ModelCapabilities:acme-*"] = "streamonly,thinkingonly",
            ["Qwen:ModelCapabilities:qwen3.8-flash"] = "None",
        });

        Assert.Equal(QwenModelCapabilities.ReasoningTiers | QwenModelCapabilities.JsonSchema, options.GetModelCapabilities("qwen3.9-max"));
        Assert.Equal(QwenModelCapabilities.StreamOnly | QwenModelCapabilities.ThinkingOnly, options.GetModelCapabilities("acme-reasoner"));
        Assert.Equal(QwenModelCapabilities.None, options.GetModelCapabilities("qwen3.8-flash")); // an entry overrides the built-in row
        Assert.NotEqual(QwenModelCapabilities.None, options.GetModelCapabilities("qwen3.8-max"));
    }

    [Theory]
    [InlineData("Qwen:ModelCapabilities:qwen3.9-max", "Tiers")]
    [InlineData("Qwen:ModelCapabilities:qwen3.9-max", "ReasoningTiers, Fast")]
    [InlineData("Qwen:ModelCapabilities:qwen3.9-max", "12")]
    [InlineData("Qwen:ModelCapabilities:qwen3.9-max", "")]
    public void ABadCapabilityNamesItsPathAndTheKnownNames(string key, string value)
    {
        var ex = BindFails(key, value);

        Assert.Contains($"'{key}' must be QwenModelCapabilities names separated by commas", ex.Message);
        Assert.Contains("ReasoningTiers", ex.Message);
        Assert.Contains($"got '{value}'", ex.Message);
    }

    [Fact]
    public void AValueInsteadOfASectionNamesThePath()
    {
        var ex = BindFails("Qwen:ModelCapabilities", "ReasoningTiers");

        Assert.Contains("'Qwen:ModelCapabilities' must be a section of model ids", ex.Message);
    }
}
