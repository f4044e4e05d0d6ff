using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using RestSharp;

namespace WinterAI.Domain.Channels;

/// <summary>
/// The <c>Media</c> configuration section: where pictures and voice that followers send may be downloaded from (the
/// platforms' hosts only, so a callback cannot make WinterAI fetch an internal address), and how much of them.
/// </summary>
public sealed class MediaOptions
{
    public const string Section = "Media";

    /// <summary>
    /// Hosts media is downloaded from besides the platforms' API bases: a name matches itself and its subdomains. Default
    /// WeChat's picture hosts (<c>qpic.cn</c>, <c>qlogo.cn</c>), WeCom's (<c>weixin.qq.com</c>, <c>work.weixin.qq.com</c>)
    /// and the robot's file storage (<c>myqcloud.com</c>). Tests add their stand-ins (<c>127.0.0.1</c>).
    /// </summary>
    public List<string> AllowedHosts { get; set; } = [];

    /// <summary>The hosts allowed when <see cref="AllowedHosts"/> is not configured.</summary>
    public static readonly IReadOnlyList<string> DefaultHosts = ["qpic.cn", "qlogo.cn", "weixin.qq.com", "work.weixin.qq.com", "myqcloud.com"];

    /// <summary>The largest download. Default 20 MB (above Dify's largest image limit).</summary>
    [Range(1024, 1024L * 1024 * 1024)]
    public long MaxDownloadBytes { get; set; } = 20L * 1024 * 1024;

    /// <summary>How long one download may take. Default 20 seconds.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan DownloadTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// True when <paramref name="url"/> is https (or http to a listed host) on an allowed host. Addresses are matched as
    /// written: a listed IP allows that IP only.
    /// </summary>
    public bool Allows(Uri url)
    {
        if (!url.IsAbsoluteUri || url.Scheme is not ("https" or "http"))
        {
            return false;
        }

        var host = url.IdnHost.TrimEnd('.');
        var hosts = AllowedHosts.Count > 0 ? (IReadOnlyList<string>)AllowedHosts : DefaultHosts;
        var listed = hosts.Select(h => h.Trim().TrimEnd('.')).Where(h => h.Length > 0)
            .Any(h => host.Equals(h, StringComparison.OrdinalIgnoreCase) || host.EndsWith("." + h, StringComparison.OrdinalIgnoreCase));
        // Plain http only to a host listed by name or address on purpose (a test stand-in, an intranet mirror).
        return listed && (url.Scheme == "https" || AllowedHosts.Count > 0);
    }
}

public static class MediaServiceCollectionExtensions
{
    /// <summary>The <c>Media</c> section, once however many channels ask for it.</summary>
    public static IServiceCollection AddMediaOptions(this IServiceCollection services, IHostApplicationBuilder builder)
    {
        if (services.Any(d => d.ServiceType == typeof(IConfigureOptions<MediaOptions>)))
        {
            return services;
        }

        services.AddOptions<MediaOptions>()
            .Bind(builder.Configuration.GetSection(MediaOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddKeyedSingleton(AnswerPictures.RestClientKey, (_, _) => new RestClient(new RestClientOptions
        {
            // A redirect could lead off the Dify host; DownloadTimeout bounds every download.
            FollowRedirects = false,
            Timeout = Timeout.InfiniteTimeSpan,
            UserAgent = "WinterAI",
        }));
        services.TryAddSingleton<AnswerPictures>();
        return services;
    }
}
