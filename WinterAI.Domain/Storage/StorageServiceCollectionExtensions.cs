using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace WinterAI.Domain.Storage;

public static class StorageServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="RedisOptions"/> (validated at start-up), <see cref="StoreKeys"/>, <see cref="IStateStore"/>
    /// and <see cref="StoreDescription"/>. The store is Redis when <c>Redis:Configuration</c> is set, in-memory otherwise;
    /// the choice is made when the store is first resolved, so configuration added by tests is honoured.
    /// </summary>
    public static IHostApplicationBuilder AddStateStore(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        var configuration = builder.Configuration;
        services.AddOptions<RedisOptions>()
            .Bind(configuration.GetSection(RedisOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();

        services.AddLogging();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new StoreKeys(sp.GetRequiredService<IOptions<RedisOptions>>().Value.KeyPrefix));
        services.TryAddSingleton<InMemoryStateStore>();
        services.TryAddSingleton<RedisStateStore>();
        services.TryAddSingleton<IStateStore>(sp => sp.GetRequiredService<IOptions<RedisOptions>>().Value.UsesRedis
            ? sp.GetRequiredService<RedisStateStore>()
            : sp.GetRequiredService<InMemoryStateStore>());
        services.TryAddSingleton(sp => sp.GetRequiredService<IStateStore>() switch
        {
            RedisStateStore redis => redis.Description,
            InMemoryStateStore memory => memory.Description,
            var other => new StoreDescription(other.GetType().Name, "unknown", SharedAcrossInstances: false),
        });
        return builder;
    }
}
