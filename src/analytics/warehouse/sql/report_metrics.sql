-- The metrics of docs/spec/metrics.md for every current report: <m>_num, <m>_den and <m>.
-- Blank cells count as 0 in a numerator; a denominator that is 0 or unknown gives <m> = NULL.
-- A group's rate is sum(<m>_num) / nullif(sum(<m>_den), 0), never an average of <m>.
CREATE OR REPLACE VIEW report_metrics AS
WITH b AS (
    SELECT w.*,
           CASE WHEN coalesce(a_new_received, a_carried_over) IS NULL THEN NULL
                ELSE coalesce(a_new_received, 0) + coalesce(a_carried_over, 0) END AS workload_v,
           coalesce(a_total_processed, 0) AS processed_v,
           coalesce(a_granted, 0) + coalesce(a_partially_granted, 0) AS disclosed_v,
           coalesce(rv_corrected, 0) + coalesce(ld_corrected, 0) + coalesce(la_corrected, 0) AS corrected_all,
           coalesce(rv_pending, 0) + coalesce(ld_pending, 0) + coalesce(la_pending, 0) AS pending_all,
           coalesce(rv_total, 0) + coalesce(ld_total, 0) + coalesce(la_total, 0) AS disputes_all,
           coalesce(ld_total, 0) - coalesce(ld_pending, 0) + coalesce(la_total, 0) - coalesce(la_pending, 0)
               AS litigation_decided,
           CASE WHEN kind IN ('department', 'office', 'zone') THEN make_date(year + 1, 1, 31)
                ELSE make_date(year + 1, 3, 31) END AS deadline
    FROM report_wide w
    WHERE w.is_current
),
m AS (
    SELECT report_id, agency_id, name, year, level, kind, province, city, county, parent_id,
           dataset, template, scope, published, deadline,
           a_new_received AS applications_num,
           CASE WHEN a_new_received IS NULL THEN 0 ELSE 1 END AS applications_den,
           workload_v AS workload_num,
           CASE WHEN workload_v IS NULL THEN 0 ELSE 1 END AS workload_den,
           processed_v AS completion_rate_num, coalesce(workload_v, 0) AS completion_rate_den,
           coalesce(a_carried_forward, 0) AS carry_forward_rate_num, coalesce(workload_v, 0) AS carry_forward_rate_den,
           CASE WHEN coalesce(a_carried_forward, a_carried_over) IS NULL THEN NULL
                ELSE coalesce(a_carried_forward, 0) - coalesce(a_carried_over, 0) END AS backlog_change_num,
           CASE WHEN coalesce(a_carried_forward, a_carried_over) IS NULL THEN 0 ELSE 1 END AS backlog_change_den,
           coalesce(a_granted, 0) AS grant_rate_num, processed_v AS grant_rate_den,
           disclosed_v AS substantive_disclosure_rate_num, processed_v AS substantive_disclosure_rate_den,
           disclosed_v AS resolvable_disclosure_rate_num,
           processed_v - coalesce(refused, 0) - coalesce(other_handled, 0) AS resolvable_disclosure_rate_den,
           coalesce(denied, 0) AS denial_rate_num, processed_v AS denial_rate_den,
           coalesce(a_denied_state_secret, 0) AS denial_share_state_secret_num,
           coalesce(denied, 0) AS denial_share_state_secret_den,
           coalesce(a_denied_law_prohibited, 0) AS denial_share_law_prohibited_num,
           coalesce(denied, 0) AS denial_share_law_prohibited_den,
           coalesce(a_denied_security_stability, 0) AS denial_share_security_stability_num,
           coalesce(denied, 0) AS denial_share_security_stability_den,
           coalesce(a_denied_third_party, 0) AS denial_share_third_party_num,
           coalesce(denied, 0) AS denial_share_third_party_den,
           coalesce(a_denied_internal_affairs, 0) AS denial_share_internal_affairs_num,
           coalesce(denied, 0) AS denial_share_internal_affairs_den,
           coalesce(a_denied_process_info, 0) AS denial_share_process_info_num,
           coalesce(denied, 0) AS denial_share_process_info_den,
           coalesce(a_denied_enforcement_file, 0) AS denial_share_enforcement_file_num,
           coalesce(denied, 0) AS denial_share_enforcement_file_den,
           coalesce(a_denied_admin_query, 0) AS denial_share_admin_query_num,
           coalesce(denied, 0) AS denial_share_admin_query_den,
           coalesce(unable, 0) AS unable_rate_num, processed_v AS unable_rate_den,
           coalesce(a_unable_not_held, 0) AS not_held_rate_num, processed_v AS not_held_rate_den,
           coalesce(refused, 0) + coalesce(other_handled, 0) AS procedural_closure_rate_num,
           processed_v AS procedural_closure_rate_den,
           coalesce(a_new_received, 0) - coalesce(nr_natural_person, 0) AS legal_person_share_num,
           coalesce(a_new_received, 0) AS legal_person_share_den,
           coalesce(rv_total, 0) + coalesce(ld_total, 0) AS dispute_rate_num,
           coalesce(a_new_received, 0) AS dispute_rate_den,
           100 * (coalesce(rv_total, 0) + coalesce(ld_total, 0)) AS dispute_per_100_num,
           coalesce(a_new_received, 0) AS dispute_per_100_den,
           coalesce(rv_corrected, 0) AS review_correction_rate_num,
           coalesce(rv_total, 0) - coalesce(rv_pending, 0) AS review_correction_rate_den,
           coalesce(ld_corrected, 0) + coalesce(la_corrected, 0) AS litigation_correction_rate_num,
           litigation_decided AS litigation_correction_rate_den,
           100 * corrected_all AS correction_per_100_num,
           coalesce(a_new_received, 0) AS correction_per_100_den,
           pending_all AS pending_share_num, disputes_all AS pending_share_den,
           CASE WHEN template = '2021' AND coalesce(ad_normative_issued, ad_normative_repealed) IS NOT NULL
                THEN coalesce(ad_normative_issued, 0) - coalesce(ad_normative_repealed, 0) END AS net_new_normative_num,
           CASE WHEN template = '2021' AND coalesce(ad_normative_issued, ad_normative_repealed) IS NOT NULL
                THEN 1 ELSE 0 END AS net_new_normative_den,
           CASE WHEN published IS NULL THEN NULL WHEN published <= deadline THEN 1 ELSE 0 END AS on_time_num,
           CASE WHEN published IS NULL THEN 0 ELSE 1 END AS on_time_den,
           ad_licensing_decisions AS licensing_decisions_num,
           CASE WHEN ad_licensing_decisions IS NULL THEN 0 ELSE 1 END AS licensing_decisions_den,
           ad_punishment_decisions AS punishment_decisions_num,
           CASE WHEN ad_punishment_decisions IS NULL THEN 0 ELSE 1 END AS punishment_decisions_den,
           ad_coercion_decisions AS coercion_decisions_num,
           CASE WHEN ad_coercion_decisions IS NULL THEN 0 ELSE 1 END AS coercion_decisions_den,
           ad_fees_amount AS fees_amount_num,
           CASE WHEN ad_fees_amount IS NULL THEN 0 ELSE 1 END AS fees_amount_den
    FROM b
)
SELECT m.*,
       {values}
FROM m
