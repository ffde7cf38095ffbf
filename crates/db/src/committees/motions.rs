//! Motions and their votes (one per member, enforced by the primary key too), and a committee's decisions.
use maeul_domain::Refusal;
use maeul_domain::committee::{
    self, Choice, CommitteeRefusal, MotionEvent, MotionState, Tally, VoteRefusal, VoteRule,
};

use crate::{BeginWrite, Db, DbError, DbResult, OptionalName, db_run, now, refused};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MotionRow {
    pub id: i64,
    pub meeting_id: i64,
    pub agenda_item_id: Option<i64>,
    pub title: String,
    pub body: String,
    #[sqlx(try_from = "String")]
    pub state: MotionState,
    #[sqlx(try_from = "String")]
    pub vote_rule: VoteRule,
    pub secret: i64,
    pub yes_count: i64,
    pub no_count: i64,
    pub abstain_count: i64,
    pub present_count: Option<i64>,
    pub created_at: i64,
    pub decided_at: Option<i64>,
}

impl MotionRow {
    pub fn tally(&self) -> Tally {
        Tally {
            yes: self.yes_count as u32,
            no: self.no_count as u32,
            abstain: self.abstain_count as u32,
        }
    }
}

/// A decided motion with its meeting, for a committee's list of decisions and its CSV export.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DecisionRow {
    pub motion_id: i64,
    pub meeting_id: i64,
    pub meeting_title: String,
    pub starts_at: i64,
    pub title: String,
    #[sqlx(try_from = "String")]
    pub state: MotionState,
    #[sqlx(try_from = "String")]
    pub vote_rule: VoteRule,
    pub secret: i64,
    pub yes_count: i64,
    pub no_count: i64,
    pub abstain_count: i64,
    pub present_count: Option<i64>,
    pub decided_at: Option<i64>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct VoteRow {
    pub membership_id: i64,
    pub display_name: String,
    /// None for a secret ballot.
    #[sqlx(try_from = "Option<String>")]
    pub choice: OptionalName<Choice>,
    pub at: i64,
}

const SELECT_MOTION: &str = "SELECT id, meeting_id, agenda_item_id, title, body, state, vote_rule, secret, yes_count, no_count,
        abstain_count, present_count, created_at, decided_at FROM motions";

impl Db {
    /// Proposes a motion in a meeting in session; it takes the committee's vote rule and ballot.
    pub async fn propose_motion(
        &self,
        meeting_id: i64,
        agenda_item_id: Option<i64>,
        title: &str,
        body: &str,
        by: Option<i64>,
    ) -> DbResult<i64> {
        let meeting = self.meeting(meeting_id).await?.ok_or(DbError::NotFound)?;
        if !meeting.state.takes_motions() {
            return Err(refused(CommitteeRefusal::NotInSession));
        }
        let committee = self
            .committee(meeting.committee_id)
            .await?
            .ok_or(DbError::NotFound)?;
        Ok(db_run!(self, pool => sqlx::query_scalar::<_, i64>(
            "INSERT INTO motions (meeting_id, agenda_item_id, title, body, state, vote_rule, secret, proposed_by, created_at)
             VALUES ($1, $2, $3, $4, 'proposed', $5, $6, $7, $8) RETURNING id")
            .bind(meeting_id).bind(agenda_item_id).bind(title).bind(body).bind(committee.vote_rule.as_string())
            .bind(committee.secret_ballot).bind(by).bind(now())
            .fetch_one(pool).await?))
    }

    pub async fn motion(&self, id: i64) -> DbResult<Option<MotionRow>> {
        let sql = format!("{SELECT_MOTION} WHERE id = $1");
        Ok(
            db_run!(self, pool => sqlx::query_as::<_, MotionRow>(&sql).bind(id).fetch_optional(pool).await?),
        )
    }

    pub async fn motions_of(&self, meeting_id: i64) -> DbResult<Vec<MotionRow>> {
        let sql = format!("{SELECT_MOTION} WHERE meeting_id = $1 ORDER BY id");
        Ok(
            db_run!(self, pool => sqlx::query_as::<_, MotionRow>(&sql).bind(meeting_id).fetch_all(pool).await?),
        )
    }

    /// Applies a motion event (debate, open the vote, close it, withdraw). Closing the vote counts the
    /// members present and those sitting at the meeting's date, checks quorum and decides by the rule.
    pub async fn transition_motion(&self, id: i64, event: &MotionEvent) -> DbResult<MotionState> {
        let motion = self.motion(id).await?.ok_or(DbError::NotFound)?;
        let meeting = self
            .meeting(motion.meeting_id)
            .await?
            .ok_or(DbError::NotFound)?;
        if !meeting.state.takes_motions() {
            return Err(refused(CommitteeRefusal::NotInSession));
        }
        let from = motion.state;
        let (event, present) = match event {
            MotionEvent::CloseVote { .. } => {
                let present = self.present_members(meeting.id).await?.len() as u32;
                let seats_filled = self.meeting_roll(&meeting).await?.len() as u32;
                (
                    MotionEvent::CloseVote {
                        tally: motion.tally(),
                        present,
                        seats_filled,
                        rule: motion.vote_rule,
                    },
                    Some(i64::from(present)),
                )
            }
            other => (other.clone(), None),
        };
        let to = committee::apply_motion(from, &event)
            .map_err(|e| refused(CommitteeRefusal::from(e)))?;
        let decided = to.is_decided().then(now);
        db_run!(self, pool => {
            let n = sqlx::query(
                "UPDATE motions SET state = $1, present_count = COALESCE($2, present_count), decided_at = COALESCE($3, decided_at)
                 WHERE id = $4 AND state = $5")
                .bind(to.as_str()).bind(present).bind(decided).bind(id).bind(from.as_str())
                .execute(pool).await?.rows_affected();
            if n == 0 {
                return Err(DbError::Refused(Refusal::Stale));
            }
        });
        Ok(to)
    }

    /// Casts `user_id`'s vote on a motion through their membership sitting at the meeting. The rules (open
    /// motion, within the term, present, once) are checked, and the vote row and the count change commit
    /// together; the primary key (motion, membership) refuses a second vote even under concurrency.
    pub async fn cast_vote(&self, motion_id: i64, user_id: i64, choice: Choice) -> DbResult<()> {
        let motion = self.motion(motion_id).await?.ok_or(DbError::NotFound)?;
        let meeting = self
            .meeting(motion.meeting_id)
            .await?
            .ok_or(DbError::NotFound)?;
        let at = now();
        let members = self.committee_members(meeting.committee_id).await?;
        // The membership whose term covers now, else any (to report "outside the term").
        let Some(member) = members
            .iter()
            .filter(|m| m.user_id == user_id && m.ended_at.is_none())
            .max_by_key(|m| m.term().covers(at))
        else {
            return Err(refused(CommitteeRefusal::NotAMember));
        };
        let present = self.present_members(meeting.id).await?.contains(&member.id);
        let already: Option<i64> = db_run!(self, pool => sqlx::query_scalar(
            "SELECT membership_id FROM motion_votes WHERE motion_id = $1 AND membership_id = $2")
            .bind(motion_id).bind(member.id).fetch_optional(pool).await?);
        committee::check_vote(motion.state, &member.term(), at, present, already.is_some())
            .map_err(|r| refused(CommitteeRefusal::from(r)))?;
        let column = match choice {
            Choice::Yes => "yes_count",
            Choice::No => "no_count",
            Choice::Abstain => "abstain_count",
        };
        let stored_choice = (motion.secret == 0).then_some(choice.as_str());
        let update = format!(
            "UPDATE motions SET {column} = {column} + 1 WHERE id = $1 AND state = 'voting'"
        );
        db_run!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let inserted = sqlx::query(
                "INSERT INTO motion_votes (motion_id, membership_id, choice, at) VALUES ($1, $2, $3, $4)")
                .bind(motion_id).bind(member.id).bind(stored_choice).bind(at)
                .execute(&mut *tx).await;
            match inserted {
                Err(sqlx::Error::Database(d)) if d.is_unique_violation() => {
                    return Err(refused(CommitteeRefusal::from(VoteRefusal::AlreadyVoted)));
                }
                other => { other?; }
            }
            let n = sqlx::query(&update).bind(motion_id).execute(&mut *tx).await?.rows_affected();
            if n == 0 {
                return Err(refused(CommitteeRefusal::from(VoteRefusal::NotOpen)));
            }
            tx.commit().await?;
            Ok(())
        })
    }

    /// The votes on a motion (choices are None on a secret ballot), by member name.
    pub async fn votes(&self, motion_id: i64) -> DbResult<Vec<VoteRow>> {
        Ok(db_run!(self, pool => sqlx::query_as::<_, VoteRow>(
            "SELECT v.membership_id, u.display_name, v.choice, v.at FROM motion_votes v
             JOIN committee_memberships m ON m.id = v.membership_id JOIN users u ON u.id = m.user_id
             WHERE v.motion_id = $1 ORDER BY u.display_name, v.membership_id")
            .bind(motion_id).fetch_all(pool).await?))
    }

    /// Every decided motion (carried or failed) of a committee, oldest meeting first.
    pub async fn decisions(&self, committee_id: i64) -> DbResult<Vec<DecisionRow>> {
        Ok(db_run!(self, pool => sqlx::query_as::<_, DecisionRow>(
            "SELECT mo.id AS motion_id, me.id AS meeting_id, me.title AS meeting_title, me.starts_at, mo.title, mo.state,
                    mo.vote_rule, mo.secret, mo.yes_count, mo.no_count, mo.abstain_count, mo.present_count, mo.decided_at
             FROM motions mo JOIN committee_meetings me ON me.id = mo.meeting_id
             WHERE me.committee_id = $1 AND mo.state IN ('carried', 'failed')
             ORDER BY me.starts_at, mo.id")
            .bind(committee_id).fetch_all(pool).await?))
    }
}
