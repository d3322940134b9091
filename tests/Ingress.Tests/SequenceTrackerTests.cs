using TwinCluster.Grains.Interfaces;
using TwinCluster.Ingress.Admission;
using TwinCluster.Wire;

namespace TwinCluster.Ingress.Tests;

public sealed class SequenceTrackerTests
{
    private static readonly TwinId Twin = new("wt-01");
    private static readonly TwinId Other = new("wt-02");

    [Fact]
    public void The_first_seq_of_a_twin_is_new()
    {
        var tracker = new SequenceTracker();
        Assert.Equal(SequenceVerdict.New, tracker.Classify(Twin, 17).Verdict);
        Assert.Null(tracker.LastApplied(Twin));
    }

    [Fact]
    public void Next_seq_is_new_and_repeated_or_older_seq_is_a_duplicate()
    {
        var tracker = new SequenceTracker();
        tracker.MarkApplied(Twin, 5);
        Assert.Equal(SequenceVerdict.New, tracker.Classify(Twin, 6).Verdict);
        Assert.Equal(SequenceVerdict.Duplicate, tracker.Classify(Twin, 5).Verdict);
        Assert.Equal(SequenceVerdict.Duplicate, tracker.Classify(Twin, 0).Verdict);
        Assert.Equal(SequenceVerdict.New, tracker.Classify(Other, 5).Verdict);
    }

    [Fact]
    public void A_jump_reports_the_missing_range()
    {
        var tracker = new SequenceTracker();
        tracker.MarkApplied(Twin, 5);
        var verdict = tracker.Classify(Twin, 9);
        Assert.Equal(new SequenceClassification(SequenceVerdict.Gap, 6, 8), verdict);
        Assert.Equal(3, verdict.MissingCount);
    }

    [Fact]
    public void Marking_an_older_seq_does_not_move_the_last_applied_back()
    {
        var tracker = new SequenceTracker();
        tracker.MarkApplied(Twin, 10);
        tracker.MarkApplied(Twin, 3);
        Assert.Equal(10, tracker.LastApplied(Twin));
    }

    [Fact]
    public void Admit_rejects_a_duplicate_with_its_code_and_records_new_ones()
    {
        var tracker = new SequenceTracker();
        Assert.Null(tracker.Admit(Twin, 1, out _));
        Assert.Null(tracker.Admit(Twin, 4, out var gap));
        Assert.Equal(SequenceVerdict.Gap, gap.Verdict);
        var rejection = tracker.Admit(Twin, 4, out var duplicate);
        Assert.NotNull(rejection);
        Assert.Equal(SequenceVerdict.Duplicate, duplicate.Verdict);
        Assert.Equal("duplicate-seq", rejection.Code);
        Assert.Contains("seq 4", rejection.Message, StringComparison.Ordinal);
        Assert.Equal(4, tracker.LastApplied(Twin));
    }
}
