using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Qwen.Extensions.AI.Emulator;

namespace Qwen.Extensions.AI.DependencyInjection.Tests;

/// <summary><c>Qwen:ContextCache</c> in configuration sets <see cref="QwenClientOptions.ContextCache"/> (README, "Context cache").</summary>
public sealed class ContextCacheConfigurationTests
{
    [Theory]
    [InlineData("Auto", QwenContextCachePolicy.Auto)]
    [InlineData("auto", QwenContextCachePolicy.Auto)]
    [InlineData("None", QwenContextCachePolicy.None)]
    public void ConfigurationSetsTheContextCachePolicy(string value, QwenContextCachePolicy expected)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Qwen:ApiKey"] = "sk-test", ["Qwen:ContextCache"] = value }).Build();
        var services = new ServiceCollection();
        services.AddQwenChatClient(configuration.GetSection("Qwen"));
        using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptionsMonitor<QwenClientOptions>>().Get(QwenChatClientServiceCollectionExtensions.DefaultHttpClientName);

        Assert.Equal(expected, options.ContextCache);
    }

    [Theory]
    [InlineData("always")]
    [InlineData("1")]
    public void ABadContextCacheValueNamesTheSettingAndTheChoices(string value)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Qwen:ApiKey"] = "sk-test", ["Qwen:ContextCache"] = value }).Build();
        var services = new ServiceCollection();

        var ex = Record.Exception(() =>
        {
            services.AddQwenChatClient(configuration.GetSection("Qwen"));
            using var provider = services.BuildServiceProvider();
            provider.GetRequiredService<IChatClient>();
        });

        Assert.IsType<InvalidOperationException>(ex);
        Assert.Contains("'Qwen:ContextCache' must be None or Auto", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AConfiguredAutoPolicyMarksTheRequestsOfTheRegisteredClient()
    {
        await using var emulator = await QwenEmulator.StartAsync();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Qwen:ApiKey"] = emulator.ApiKey, ["Qwen:Endpoint"] = emulator.Endpoint.ToString(), ["Qwen:DefaultModelId"] = "qwen-plus", ["Qwen:ContextCache"] = "Auto",
        }).Build();
        var services = new ServiceCollection();
        services.AddQwenChatClient(configuration.GetSection("Qwen"));
        using var provider = services.BuildServiceProvider();

        await provider.GetRequiredService<IChatClient>().GetResponseAsync([new(ChatRole.System, "Be brief."), new(ChatRole.User, "Hi")]);

        var system = emulator.LastRequest!.GetProperty("messages")!.Value[0];
        Assert.Equal("ephemeral", system.GetProperty("content")[0].GetProperty("cache_control").GetProperty("type").GetString());
    }
}
