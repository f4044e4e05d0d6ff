using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace WinterAI.Web.Logging;

public static class LoggingServiceCollectionExtensions
{
    /// <summary>
    /// Categories that write request URLs or action arguments — with them the chat page's link token
    /// (<c>/chat?t=…</c>) and the callbacks' signature, msg_signature and echostr. They stay at Warning whatever
    /// the configuration says, for every provider (docs/decisions/0006-logs-without-credentials.md).
    /// </summary>
    private static readonly string[] RequestCategories =
    [
        "Microsoft.AspNetCore.Hosting.Diagnostics", // "Request starting/finished GET http://…/chat?t=…"
        "Microsoft.AspNetCore.Mvc", // at Trace, "Executing action method … with arguments (…)"
        "Microsoft.AspNetCore.Routing", // per-request lines; none quotes a query today, kept with the rest of the request log
        "Microsoft.AspNetCore.HttpLogging",
        "Microsoft.AspNetCore.Server.Kestrel.BadRequests", // quotes the request line of a malformed request
    ];

    /// <summary>
    /// Defaults that hold without appsettings.json (configuration may still change them): the framework's own
    /// categories at Warning. The health-check service logs every unhealthy check at Error, so a readiness probe every
    /// few seconds while Dify is unreachable would write an Error line each time; <c>/readyz</c> itself says why.
    /// </summary>
    private static readonly (string Category, LogLevel Level)[] Defaults =
    [
        ("Microsoft.AspNetCore", LogLevel.Warning),
        ("System.Net.Http.HttpClient", LogLevel.Warning),
        ("Microsoft.Extensions.Diagnostics.HealthChecks", LogLevel.Critical),
    ];

    /// <summary>
    /// Log levels that keep credentials out of the log however logging is configured, and console text formatters
    /// that escape control characters in untrusted text. Call it after the console logger is added (as
    /// WebApplication.CreateBuilder does): only the formatters registered by then are wrapped.
    /// </summary>
    public static IHostApplicationBuilder AddWinterAILogging(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton<IPostConfigureOptions<LoggerFilterOptions>, CredentialSafeLogLevels>();
        for (var i = 0; i < services.Count; i++)
        {
            if (services[i] is { ServiceType: var type, IsKeyedService: false, ImplementationType: { } formatter } && type == typeof(ConsoleFormatter))
            {
                services[i] = ServiceDescriptor.Singleton<ConsoleFormatter>(sp => Escaping((ConsoleFormatter)ActivatorUtilities.CreateInstance(sp, formatter)));
            }
        }

        return builder;
    }

    // The JSON formatter escapes control characters itself and writes scopes as properties, which wrapping would flatten.
    private static ConsoleFormatter Escaping(ConsoleFormatter formatter) =>
        formatter.Name == ConsoleFormatterNames.Json ? formatter : new EscapingConsoleFormatter(formatter);

    /// <summary>
    /// Runs after configuration has been turned into rules. The defaults go first, so a configured rule for the
    /// same category wins; the request categories go last and once per provider named in any rule, so neither
    /// <c>Logging:LogLevel</c> nor a provider's own <c>Logging:Console:LogLevel</c> can turn them up.
    /// </summary>
    private sealed class CredentialSafeLogLevels : IPostConfigureOptions<LoggerFilterOptions>
    {
        public void PostConfigure(string? name, LoggerFilterOptions options)
        {
            var providers = options.Rules.Select(rule => rule.ProviderName).Append(null).Distinct().ToList();
            for (var i = 0; i < Defaults.Length; i++)
            {
                options.Rules.Insert(i, new LoggerFilterRule(null, Defaults[i].Category, Defaults[i].Level, null));
            }

            foreach (var provider in providers)
            {
                foreach (var category in RequestCategories)
                {
                    options.Rules.Add(new LoggerFilterRule(provider, category, LogLevel.Warning, null));
                }
            }
        }
    }
}
