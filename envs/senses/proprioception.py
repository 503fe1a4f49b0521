"""Proprioception: joint angles and velocities, and the body's own velocity in its frame."""

import mujoco

from envs.senses.sense import SensorSense


class Proprioception(SensorSense):
    name = "proprioception"

    def __init__(self, joints: tuple[str, ...], velocity_site: str | None = None):
        joint = mujoco.mjtObj.mjOBJ_JOINT
        sensors = [(f"{j}_pos", mujoco.mjtSensor.mjSENS_JOINTPOS, joint, j) for j in joints]
        sensors += [(f"{j}_vel", mujoco.mjtSensor.mjSENS_JOINTVEL, joint, j) for j in joints]
        if velocity_site is not None:
            sensors.append(("body_velocity", mujoco.mjtSensor.mjSENS_VELOCIMETER, mujoco.mjtObj.mjOBJ_SITE,
                            velocity_site))
        super().__init__(sensors)
