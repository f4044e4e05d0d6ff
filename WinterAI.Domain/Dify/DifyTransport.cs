using Polly;
using RestSharp;

namespace WinterAI.Domain.Dify;

/// <summary>
/// The HTTP client and resilience pipelines <see cref="DifyClient"/> calls through; built once by
/// <see cref="DifyServiceCollectionExtensions.AddDify"/> so the circuit breaker's state is shared by every turn.
/// </summary>
/// <param name="turn">Bounds a whole call: every attempt, every retry delay and the whole stream.</param>
/// <param name="attempt">Retries, circuit breaker and the per-attempt timeout; covers one request up to its response headers.</param>
internal sealed class DifyTransport(RestClient rest, ResiliencePipeline turn, ResiliencePipeline<DifyHttpResult> attempt) : IDisposable
{
    public RestClient Rest { get; } = rest;

    public ResiliencePipeline Turn { get; } = turn;

    public ResiliencePipeline<DifyHttpResult> Attempt { get; } = attempt;

    public void Dispose() => Rest.Dispose();
}
