
namespace WinterAI.Domain.Turns;

/// <summary>How a channel wants its deliveries answered.</summary>
/// <param name="ReplyWindow">How long a delivery waits for the answer, from its arrival.</param>
/// <param name="Deliveries">How many times the platform delivers one message.</param>
/// <param name="HoldForRetry">Let deliveries before the last lapse unanswered so the platform retries.</param>
/// <param name="CanPush">The last delivery answers "success" and the answer is pushed once ready.</param>
/// <param name="PushAlways">Every delivery answers at once with nothing and the answer is always pushed (WeCom).</param>
public sealed record DeliveryPolicy(TimeSpan ReplyWindow, int Deliveries, bool HoldForRetry, bool CanPush, bool PushAlways = false);
