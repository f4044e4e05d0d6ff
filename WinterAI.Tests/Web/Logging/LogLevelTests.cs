using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using WinterAI.Web;

namespace WinterAI.Tests.Web.Logging;

/// <summary>The log levels WinterAI sets in code, checked on the logger factory of the app as Program.cs composes it.</summary>
public sealed class LogLevelTests
{
    private const string RequestLog = "Microsoft.AspNetCore.Hosting.Diagnostics";

    [Test]
    public async Task WithoutAnyConfigurationFileTheFrameworkLogsOnlyWarningsAndWinterAIItsInformation()
    {
        var empty = Directory.CreateTempSubdirectory("winterai-root-");
        try
        {
            // An operator's explicit content root is honoured, even one without appsettings.json.
            await using var app = WinterAIApplication.Build(["--contentRoot", empty.FullName, "--environment", "Production"]);
            var loggers = app.Services.GetRequiredService<ILoggerFactory>();

            app.Services.GetRequiredService<IHostEnvironment>().ContentRootPath.TrimEnd('/').ShouldBe(empty.FullName.TrimEnd('/'));
            loggers.CreateLogger(RequestLog).IsEnabled(LogLevel.Information).ShouldBeFalse();
            loggers.CreateLogger("Microsoft.AspNetCore.Server.Kestrel").IsEnabled(LogLevel.Information).ShouldBeFalse();
            loggers.CreateLogger("System.Net.Http.HttpClient.Default.LogicalHandler").IsEnabled(LogLevel.Information).ShouldBeFalse();
            loggers.CreateLogger("WinterAI.Domain.Channels.OfficialAccount.OfficialAccountEndpoint").IsEnabled(LogLevel.Information).ShouldBeTrue();
        }
        finally
        {
            empty.Delete(recursive: true);
        }
    }

    [Test]
    public async Task ConfigurationCanTurnEverythingUpExceptTheCategoriesThatLogRequestUrls()
    {
        await using var app = WinterAIApplication.Build(["--environment", "Production"], builder => builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Trace",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Trace",
            [$"Logging:LogLevel:{RequestLog}"] = "Trace",
            ["Logging:Console:LogLevel:Default"] = "Trace",
            [$"Logging:Console:LogLevel:{RequestLog}"] = "Trace",
        }));
        var loggers = app.Services.GetRequiredService<ILoggerFactory>();

        loggers.CreateLogger("Microsoft.AspNetCore.Server.Kestrel").IsEnabled(LogLevel.Trace).ShouldBeTrue();
        loggers.CreateLogger("WinterAI.Web.Controllers.ChatController").IsEnabled(LogLevel.Trace).ShouldBeTrue();
        foreach (var category in new[] { RequestLog, "Microsoft.AspNetCore.Mvc.Infrastructure.ControllerActionInvoker", "Microsoft.AspNetCore.Routing.EndpointMiddleware", "Microsoft.AspNetCore.Server.Kestrel.BadRequests" })
        {
            loggers.CreateLogger(category).IsEnabled(LogLevel.Information).ShouldBeFalse(category);
            loggers.CreateLogger(category).IsEnabled(LogLevel.Warning).ShouldBeTrue(category);
        }
    }
}
