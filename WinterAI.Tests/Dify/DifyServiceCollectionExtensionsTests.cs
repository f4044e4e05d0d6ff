using System.Diagnostics.Metrics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using WinterAI.Domain.Dify;

namespace WinterAI.Tests.Dify;

public class DifyServiceCollectionExtensionsTests
{
    static ServiceProvider Build(Dictionary<string, string?> settings, Action<IServiceCollection>? before = null)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings);
        before?.Invoke(builder.Services);
        builder.AddDify();
        return builder.Services.BuildServiceProvider();
    }

    static void ValidateAtStart(ServiceProvider provider) => provider.GetRequiredService<IStartupValidator>().Validate();

    [Test]
    public void RegistersOneClientForTheWholeApp()
    {
        using var provider = Build(new() { ["Dify:ApiKey"] = "app-x" });

        var client = provider.GetRequiredService<IDifyClient>();

        client.ShouldBeOfType<DifyClient>();
        provider.GetRequiredService<IDifyClient>().ShouldBeSameAs(client);
    }

    [Test]
    public void StartsWithTheDefaultsAndNoKey()
    {
        using var provider = Build([]);

        ValidateAtStart(provider);

        var options = provider.GetRequiredService<IOptions<DifyOptions>>().Value;
        options.BaseUrl.ShouldBe("https://api.dify.ai/v1");
        options.IsConfigured.ShouldBeFalse();
        options.Timeout.ShouldBe(TimeSpan.FromMinutes(2));
        options.MaxRetries.ShouldBe(3);
    }

    [Test]
    public void BindsTheDifySection()
    {
        using var provider = Build(new()
        {
            ["Dify:BaseUrl"] = "http://dify.internal:5001/v1",
            ["Dify:ApiKey"] = "app-abc",
            ["Dify:Timeout"] = "00:01:30",
            ["Dify:AttemptTimeout"] = "00:00:20",
            ["Dify:MaxRetries"] = "5",
            ["Dify:RetryBaseDelay"] = "00:00:01",
            ["Dify:MaxRetryDelay"] = "00:00:30",
            ["Dify:BreakDuration"] = "00:00:45",
            ["Dify:CircuitMinimumThroughput"] = "12",
            ["Dify:AutoGenerateName"] = "false",
        });

        var options = provider.GetRequiredService<IOptions<DifyOptions>>().Value;

        options.BaseUrl.ShouldBe("http://dify.internal:5001/v1");
        options.ApiKey.ShouldBe("app-abc");
        options.Timeout.ShouldBe(TimeSpan.FromSeconds(90));
        options.AttemptTimeout.ShouldBe(TimeSpan.FromSeconds(20));
        options.MaxRetries.ShouldBe(5);
        options.RetryBaseDelay.ShouldBe(TimeSpan.FromSeconds(1));
        options.MaxRetryDelay.ShouldBe(TimeSpan.FromSeconds(30));
        options.BreakDuration.ShouldBe(TimeSpan.FromSeconds(45));
        options.CircuitMinimumThroughput.ShouldBe(12);
        options.AutoGenerateName.ShouldBeFalse();
    }

    [TestCase("api.dify.ai/v1")]
    [TestCase("/v1")]
    [TestCase("ftp://dify.example/v1")]
    [TestCase("file:///etc/passwd")]
    public void RefusesToStartWithABaseUrlThatIsNotAnAbsoluteHttpUrlAndNamesTheKey(string baseUrl)
    {
        using var provider = Build(new() { ["Dify:BaseUrl"] = baseUrl });

        var ex = Should.Throw<OptionsValidationException>(() => ValidateAtStart(provider));

        ex.Message.ShouldContain("Dify:BaseUrl");
    }

    [TestCase("MaxRetries", "11")]
    [TestCase("Timeout", "00:00:00")]
    [TestCase("AttemptTimeout", "00:00:00.010")]
    [TestCase("BreakDuration", "00:00:00.100")]
    [TestCase("CircuitMinimumThroughput", "1")]
    public void RefusesToStartWithOutOfRangeValues(string key, string value)
    {
        using var provider = Build(new() { [$"Dify:{key}"] = value });

        var ex = Should.Throw<OptionsValidationException>(() => ValidateAtStart(provider));

        ex.Message.ShouldContain(key);
    }

    [Test]
    public void NeverPutsTheApiKeyIntoValidationMessages()
    {
        using var provider = Build(new() { ["Dify:ApiKey"] = "app-hunter2", ["Dify:BaseUrl"] = "nope", ["Dify:MaxRetries"] = "99" });

        var ex = Should.Throw<OptionsValidationException>(() => ValidateAtStart(provider));

        ex.Message.ShouldNotContain("app-hunter2");
    }

    [Test]
    public void UsesTheSystemClockUnlessOneIsRegistered()
    {
        using var provider = Build([]);

        provider.GetRequiredService<TimeProvider>().ShouldBeSameAs(TimeProvider.System);
    }

    [Test]
    public void KeepsATimeProviderRegisteredBeforeIt()
    {
        var clock = new FakeTimeProvider();
        using var provider = Build([], services => services.AddSingleton<TimeProvider>(clock));

        provider.GetRequiredService<TimeProvider>().ShouldBeSameAs(clock);
    }

    [Test]
    public void CreatesTheWinterAIMeterThroughTheMeterFactory()
    {
        using var provider = Build([]);

        var metrics = provider.GetRequiredService<DifyMetrics>();

        DifyMetrics.MeterName.ShouldBe("WinterAI");
        metrics.Meter.Name.ShouldBe(DifyMetrics.MeterName);
        metrics.Meter.Scope.ShouldBeSameAs(provider.GetRequiredService<IMeterFactory>());
        provider.GetRequiredService<DifyMetrics>().ShouldBeSameAs(metrics);
    }
}
