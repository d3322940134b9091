using TwinCluster.Grains.Interfaces;
using TwinCluster.Grains.Twins;
using static TwinCluster.Grains.Tests.Engines.EngineParts;

namespace TwinCluster.Grains.Tests.Engines;

public sealed class TwinEditsTests
{
    private const string Contains = RelationshipNames.Contains;

    private static TwinState Created(string properties = """{"a":1}""")
    {
        var s = new TwinState();
        TwinEdits.Create(s, "t1", "dtmi:test:T;1", properties, T0);
        return s;
    }

    private static TwinErrorCode Code(Action edit) => Assert.Throws<TwinOperationException>(edit).Code;

    [Fact]
    public void A_created_twin_exists_with_its_model_times_and_an_etag_and_cannot_be_created_twice()
    {
        var s = Created();

        Assert.True(s.Exists);
        Assert.Equal("dtmi:test:T;1", s.ModelId);
        Assert.Equal(T0, s.CreatedAt);
        Assert.Equal(T0, s.UpdatedAt);
        Assert.Equal(16, s.ETag.Length);
        Assert.Equal(T0, s.PropertyTimes["a"].LastUpdateTime);
        Assert.Equal(TwinErrorCode.AlreadyExists, Code(() => TwinEdits.Create(s, "t1", "dtmi:test:T;1", "{}", T0)));
    }

    [Fact]
    public void A_stale_etag_changes_nothing_and_a_matching_or_wildcard_one_writes_with_a_new_etag()
    {
        var s = Created();
        var etag = s.ETag;

        Assert.Equal(TwinErrorCode.PreconditionFailed, Code(() => TwinEdits.SetProperties(s, "stale", """{"a":2}""", T0.AddSeconds(1))));
        Assert.Equal("""{"a":1}""", s.PropertiesJson);
        Assert.Equal(etag, s.ETag);

        var previous = TwinEdits.SetProperties(s, etag, """{"a":2}""", T0.AddSeconds(1));
        Assert.Equal("""{"a":1}""", previous);
        Assert.NotEqual(etag, s.ETag);
        Assert.Equal(T0.AddSeconds(1), s.UpdatedAt);
        Assert.Equal(T0.AddSeconds(1), s.PropertyTimes["a"].LastUpdateTime);
        TwinEdits.SetProperties(s, "*", """{"a":3}""", T0.AddSeconds(2));
        Assert.Equal("""{"a":3}""", s.PropertiesJson);
    }

    [Fact]
    public void A_missing_twin_is_not_found_and_an_existing_one_is_checked_against_if_match()
    {
        Assert.Equal(TwinErrorCode.NotFound, Code(() => TwinEdits.Require(new TwinState(), "t1", null)));
        var s = Created();
        TwinEdits.Require(s, "t1", s.ETag);
        Assert.Equal(TwinErrorCode.PreconditionFailed, Code(() => TwinEdits.Require(s, "t1", "other")));
    }

    [Fact]
    public void Outgoing_relationships_are_added_once_updated_while_they_exist_and_removed()
    {
        var s = Created();
        var r = new Relationship("r1", "feeds", "t1", "t2", "{}");
        TwinEdits.AddOutgoing(s, "t1", r, null, T0);

        Assert.Equal(TwinErrorCode.AlreadyExists, Code(() => TwinEdits.AddOutgoing(s, "t1", r, null, T0)));
        TwinEdits.UpdateOutgoing(s, "t1", r with { PropertiesJson = """{"w":1}""" }, null, T0);
        Assert.Equal("""{"w":1}""", TwinEdits.Outgoing(s, "t1", "r1").PropertiesJson);
        Assert.Equal(TwinErrorCode.NotFound, Code(() => TwinEdits.UpdateOutgoing(s, "t1", r with { Id = "r9" }, null, T0)));
        Assert.Equal(["r1"], TwinEdits.Relationships(s, null).Select(x => x.Id));
        Assert.Empty(TwinEdits.Relationships(s, Contains));

        TwinEdits.RemoveOutgoing(s, "r1", null, T0);
        Assert.Equal(TwinErrorCode.NotFound, Code(() => TwinEdits.Outgoing(s, "t1", "r1")));
    }

    [Fact]
    public void A_twin_takes_incoming_relationships_while_it_exists_is_not_being_deleted_and_has_one_container()
    {
        var incoming = new IncomingRelationship("c1", Contains, "p1");
        Assert.Equal(TwinErrorCode.NotFound, Code(() => TwinEdits.CheckIncoming(new TwinState(), "t1", incoming, deleting: false)));
        var s = Created();
        Assert.Equal(TwinErrorCode.Conflict, Code(() => TwinEdits.CheckIncoming(s, "t1", incoming, deleting: true)));

        Assert.Null(TwinEdits.CheckIncoming(s, "t1", incoming, deleting: false));
        TwinEdits.AddIncoming(s, "t1", incoming);
        Assert.Equal("p1", s.ParentId);

        // Another container: the recorded one is to be checked for a stale entry, and while it holds, the new one is refused.
        var second = new IncomingRelationship("c2", Contains, "p2");
        Assert.Equal("p1", TwinEdits.CheckIncoming(s, "t1", second, deleting: false));
        Assert.Contains("a twin has one container", Assert.Throws<TwinOperationException>(() => TwinEdits.AddIncoming(s, "t1", second)).Message,
            StringComparison.Ordinal);
        Assert.Null(TwinEdits.CheckIncoming(s, "t1", new IncomingRelationship("f1", "feeds", "p2"), deleting: false));
    }

    [Fact]
    public void Stale_container_entries_are_those_the_container_no_longer_holds()
    {
        var s = Created();
        TwinEdits.AddIncoming(s, "t1", new IncomingRelationship("c1", Contains, "p1"));
        TwinEdits.AddIncoming(s, "t1", new IncomingRelationship("c0", Contains, "p1"));

        var stale = TwinEdits.StaleContainerEntries(s, "t1", "p1", [new Relationship("c1", Contains, "p1", "t1", "{}")]);

        Assert.Equal(["c0"], stale.Select(i => i.RelationshipId));
    }

    [Fact]
    public void A_delete_of_a_related_twin_needs_cascade_and_refuses_a_twin_that_gained_relationships()
    {
        var s = Created();
        Assert.Equal(0, TwinEdits.CheckDelete(s, "t1", cascade: false));
        TwinEdits.AddOutgoing(s, "t1", new Relationship("r1", Contains, "t1", "t2", "{}"), null, T0);
        TwinEdits.AddIncoming(s, "t1", new IncomingRelationship("c1", Contains, "p1"));

        Assert.Contains("1 outgoing and 1 incoming", Assert.Throws<TwinOperationException>(() => TwinEdits.CheckDelete(s, "t1", cascade: false)).Message,
            StringComparison.Ordinal);
        Assert.Equal(2, TwinEdits.CheckDelete(s, "t1", cascade: true));
        Assert.Equal(TwinErrorCode.Conflict, Code(() => TwinEdits.CheckDeletable(s, "t1")));
        Assert.True(TwinEdits.Contains(s, "t2"));
        Assert.Equal(["t2"], TwinEdits.Children(s));
    }

    [Fact]
    public void A_lost_write_is_already_exists_for_a_create_that_found_the_twin_and_a_conflict_otherwise()
    {
        var s = Created();

        Assert.Equal(TwinErrorCode.AlreadyExists, TwinEdits.WriteConflict(s, "t1", "create").Code);
        Assert.Equal(TwinErrorCode.Conflict, TwinEdits.WriteConflict(s, "t1", "patch").Code);
        Assert.Equal(TwinErrorCode.Conflict, TwinEdits.WriteConflict(new TwinState(), "t1", "create").Code);
    }
}
